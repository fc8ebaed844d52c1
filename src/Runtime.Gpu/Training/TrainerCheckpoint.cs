using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dsl;

/// <summary>
/// The layout of a Trainer checkpoint, one safetensors file: the model's parameters under their
/// PyTorch <c>state_dict</c> names (so <c>safetensors.torch.load_file</c> plus a filter on
/// <see cref="IsTrainerState"/> gives a state dict), the optimizer's buffers as
/// <c>optimizer/exp_avg/hidden.weight</c>, and the loop's counters, callback state and seeds as
/// <c>dsl.*</c> metadata strings.
/// </summary>
/// <remarks>
/// A '/' cannot occur in a parameter name (they are C# identifiers joined by dots), so trainer
/// state can never collide with a parameter.
/// </remarks>
internal static class TrainerCheckpoint
{
    public const string OptimizerPrefix = "optimizer/";
    public const string AccumulatorPrefix = "trainer/gradient_accumulator/";
    private const string Model = "dsl.model", Epoch = "dsl.epoch", BatchInEpoch = "dsl.batch_in_epoch", GlobalStep = "dsl.global_step";
    private const string OptimizerName = "dsl.optimizer", Seed = "dsl.seed", Rng = "dsl.rng", Callbacks = "dsl.callbacks";
    private const string EpochMeans = "dsl.epoch_means", Metrics = "dsl.metrics", AccumulatedBatches = "dsl.accumulated_batches";

    /// <summary>True for tensors that hold trainer state rather than a model parameter.</summary>
    public static bool IsTrainerState(string name) => name.Contains('/', StringComparison.Ordinal);

    /// <summary>Everything a checkpoint holds besides the parameters.</summary>
    public sealed record State(
        int Epoch, int BatchInEpoch, OptimizerState Optimizer, IReadOnlyList<Callback> Callbacks, MetricMeans EpochMeans,
        float[]? Accumulated, int AccumulatedBatches, IReadOnlyDictionary<string, double> Metrics, int Seed, DataLoader Train);

    /// <summary>Where a restored run continues, and the metrics it had.</summary>
    public sealed record Resumed(int Epoch, int BatchInEpoch, int AccumulatedBatches, IReadOnlyDictionary<string, double> Metrics);

    public static void Save(string path, ITrainableModel model, State? state)
    {
        var tensors = new List<SafeTensor>(model.Parameters.ToSafeTensors());
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt", [Model] = model.Name };
        if (state is not null)
        {
            foreach (OptimizerBuffer buffer in state.Optimizer.Buffers)
                tensors.AddRange(PerParameter(model.Parameters, OptimizerPrefix + buffer.Name + "/", buffer.Values.Span));
            if (state.Accumulated is not null && state.AccumulatedBatches > 0)
                tensors.AddRange(PerParameter(model.Parameters, AccumulatorPrefix, state.Accumulated));

            var callbacks = new JsonObject();
            foreach (Callback callback in state.Callbacks)
                if (callback.SaveState() is { } saved)
                    callbacks[callback.StateKey] = saved;
            metadata[Epoch] = Text(state.Epoch);
            metadata[BatchInEpoch] = Text(state.BatchInEpoch);
            metadata[GlobalStep] = Text(state.Optimizer.Step);
            metadata[AccumulatedBatches] = Text(state.AccumulatedBatches);
            metadata[OptimizerName] = state.Optimizer.Optimizer.ToString() ?? "";
            metadata[Seed] = Text(state.Seed);
            // Shuffling is a pure function of (loader seed, epoch), so these numbers are the whole RNG state.
            metadata[Rng] = new JsonObject
            {
                ["generator"] = "philox4x32-10",
                ["trainer_seed"] = state.Seed,
                ["train_loader_seed"] = state.Train.Seed,
                ["train_loader_shuffle"] = state.Train.Shuffle,
                ["epoch"] = state.Epoch,
            }.ToJsonString();
            metadata[Callbacks] = callbacks.ToJsonString();
            metadata[EpochMeans] = state.EpochMeans.Save().ToJsonString();
            metadata[Metrics] = JsonSerializer.Serialize(state.Metrics.Where(p => double.IsFinite(p.Value)).ToDictionary(p => p.Key, p => p.Value));
        }

        SafeTensors.Save(path, tensors, metadata);
    }

    /// <summary>
    /// Reads a checkpoint into the model and the loop state, all or nothing: every tensor and
    /// field is checked before anything is overwritten.
    /// </summary>
    public static Resumed Restore(string path, ITrainableModel model, State state)
    {
        SafeTensorsFile file = SafeTensors.Load(path);
        string epochText = Required(file, Epoch, "it holds only weights (saved with weightsOnly); load it with model.Parameters.LoadSafeTensors instead of resuming from it");
        int epoch = ParseInt(file, Epoch, epochText);
        int batch = ParseInt(file, BatchInEpoch, Required(file, BatchInEpoch));
        long step = ParseLong(file, GlobalStep, Required(file, GlobalStep));
        int accumulatedBatches = ParseInt(file, AccumulatedBatches, Required(file, AccumulatedBatches));

        // Check everything that can be wrong before changing anything.
        ParameterStore parameters = model.Parameters;
        parameters.CheckCompatible(file, ignore: IsTrainerState);
        var buffers = state.Optimizer.Buffers.Select(b => (b, Tensors: Expect(file, parameters, OptimizerPrefix + b.Name + "/"))).ToList();
        var extra = file.Keys.Where(n => n.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            .Except(buffers.SelectMany(b => b.Tensors.Select(t => t.Name))).ToList();
        if (extra.Count > 0)
            throw new InvalidDataException($"{file.Path}: the checkpoint holds optimizer state the model's optimizer ({state.Optimizer.Optimizer}) does not have: {string.Join(", ", extra.Take(5))}. Was it written with another optimizer?");
        var accumulated = accumulatedBatches > 0 && state.Accumulated is not null ? Expect(file, parameters, AccumulatorPrefix) : null;
        JsonObject callbacks = ParseObject(file, Callbacks);
        JsonObject means = ParseObject(file, EpochMeans);
        JsonObject metrics = ParseObject(file, Metrics);

        parameters.LoadFrom(file, ignore: IsTrainerState);
        foreach (var (buffer, tensors) in buffers)
            CopyPerParameter(parameters, tensors, buffer.Values.Span);
        state.Optimizer.Step = step;
        if (accumulated is not null)
            CopyPerParameter(parameters, accumulated, state.Accumulated);
        foreach (Callback callback in state.Callbacks)
            if (callbacks[callback.StateKey] is JsonObject saved)
                callback.LoadState(saved);
        state.EpochMeans.Load(means);
        var stored = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in metrics)
            if (value is JsonValue number && number.TryGetValue(out double d))
                stored[name] = d;
        return new Resumed(epoch, batch, accumulated is null ? 0 : accumulatedBatches, stored);
    }

    private static IEnumerable<SafeTensor> PerParameter(ParameterStore parameters, string prefix, ReadOnlySpan<float> flat)
    {
        var tensors = new List<SafeTensor>(parameters.Parameters.Count);
        foreach (ParameterInfo info in parameters.Parameters)
            tensors.Add(SafeTensor.FromFloats(prefix + info.Name, info.Shape, flat.Slice(info.Offset, info.Length)));
        return tensors;
    }

    private static List<SafeTensor> Expect(SafeTensorsFile file, ParameterStore parameters, string prefix)
    {
        var tensors = new List<SafeTensor>(parameters.Parameters.Count);
        foreach (ParameterInfo info in parameters.Parameters)
        {
            if (!file.TryGetValue(prefix + info.Name, out SafeTensor? tensor))
                throw new InvalidDataException($"{file.Path}: tensor '{prefix + info.Name}' is missing; the checkpoint was written for another model or optimizer.");
            if (tensor.ElementCount != info.Length || tensor.DType != SafeTensorsDType.F32)
                throw new InvalidDataException($"{file.Path}: tensor '{tensor.Name}' is {tensor}; expected F32 [{string.Join(", ", info.Shape)}].");
            tensors.Add(tensor);
        }

        return tensors;
    }

    private static void CopyPerParameter(ParameterStore parameters, List<SafeTensor> tensors, Span<float> flat)
    {
        for (int i = 0; i < tensors.Count; i++)
        {
            ParameterInfo info = parameters.Parameters[i];
            tensors[i].CopyTo(flat.Slice(info.Offset, info.Length));
        }
    }

    private static string Required(SafeTensorsFile file, string key, string? hint = null) =>
        file.Metadata.TryGetValue(key, out string? value)
            ? value
            : throw new InvalidDataException($"{file.Path}: the metadata has no '{key}', so this is not a Trainer checkpoint{(hint is null ? "" : ": " + hint)}.");

    private static int ParseInt(SafeTensorsFile file, string key, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new InvalidDataException($"{file.Path}: metadata '{key}' is '{text}'; expected a non-negative integer.");

    private static long ParseLong(SafeTensorsFile file, string key, string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new InvalidDataException($"{file.Path}: metadata '{key}' is '{text}'; expected a non-negative integer.");

    private static JsonObject ParseObject(SafeTensorsFile file, string key)
    {
        string text = Required(file, key);
        try
        {
            return JsonNode.Parse(text) as JsonObject
                ?? throw new InvalidDataException($"{file.Path}: metadata '{key}' is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file.Path}: metadata '{key}' is not valid JSON ({e.Message}).", e);
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
