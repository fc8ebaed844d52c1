using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dsl;

internal static partial class TrainerCheckpoint
{
    // Schedules and bias corrections compute with the step as a double, exact up to 2^53; no run
    // takes that many steps, and a larger count could overflow as training continues.
    private const long MaxGlobalStep = 1L << 53;

    // PyTorch's name for Adam's running mean of squared gradients, which cannot be negative.
    private const string SecondMomentName = "exp_avg_sq";

    // Duplicate keys would make JsonObject throw (ArgumentException) when first read, and leave it
    // unclear which value a writer meant: the file is refused instead.
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    /// <summary>Everything a checkpoint holds, read and checked, before any of it is applied.</summary>
    private sealed record Contents(
        SafeTensorsFile File, int Epoch, int BatchInEpoch, long GlobalStep, int AccumulatedBatches,
        List<(OptimizerBuffer Buffer, List<SafeTensor> Tensors)> Buffers, List<SafeTensor>? Accumulated,
        List<(Callback Callback, JsonObject State)> CallbackStates, List<MetricMeans.Total> EpochMeans,
        Dictionary<string, double> Metrics);

    /// <summary>
    /// Reads a checkpoint into the model and the loop state, all or nothing: every tensor, every
    /// <c>dsl.*</c> field the loop reads and every callback's state is read and checked first, and
    /// only then is anything overwritten.
    /// </summary>
    /// <exception cref="InvalidCheckpointException">The file is not a checkpoint this run can resume from; nothing was changed.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static Resumed Restore(string path, ITrainableModel model, State state)
    {
        Contents contents = Read(path, model.Parameters, state);
        Apply(contents, model.Parameters, state);
        return new Resumed(contents.Epoch, contents.BatchInEpoch, contents.Accumulated is null ? 0 : contents.AccumulatedBatches, contents.Metrics);
    }

    /// <summary>Reads and checks the whole checkpoint; changes nothing.</summary>
    private static Contents Read(string path, ParameterStore parameters, State state)
    {
        SafeTensorsFile file;
        try
        {
            file = SafeTensors.Load(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidCheckpointException(path, "file", WithoutPath(path, e.Message), e);
        }

        string epochText = Required(file, Epoch, "it holds only weights (saved with weightsOnly); load it with model.Parameters.LoadSafeTensors instead of resuming from it");
        // One less than the maximum: the run continues with the next epoch.
        int epoch = (int)ParseInteger(file, Epoch, epochText, int.MaxValue - 1);
        int batch = (int)ParseInteger(file, BatchInEpoch, Required(file, BatchInEpoch), int.MaxValue);
        long step = ParseInteger(file, GlobalStep, Required(file, GlobalStep), MaxGlobalStep);
        int accumulatedBatches = (int)ParseInteger(file, AccumulatedBatches, Required(file, AccumulatedBatches), int.MaxValue);
        int worldSize = file.Metadata.TryGetValue(WorldSize, out string? sizeText) ? (int)ParseInteger(file, WorldSize, sizeText, int.MaxValue) : 1;
        if (worldSize != state.WorldSize)
            throw Invalid(file, WorldSize, $"it was saved by a run of {worldSize} rank(s) and this run has {state.WorldSize}; a run resumes exactly only with the same world size (mpirun -np {worldSize}), since each rank's place in the epoch counts its own share of the batches.");
        // Accumulating, a full sum would have been applied as an update, not saved.
        if (state.Accumulated is not null && accumulatedBatches >= state.AccumulateGradBatches)
            throw Invalid(file, AccumulatedBatches, $"metadata '{AccumulatedBatches}' is {accumulatedBatches}; this run accumulates {state.AccumulateGradBatches} batches per update, so expected fewer.");

        try
        {
            parameters.CheckCompatible(file, ignore: IsTrainerState);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidCheckpointException(file.Path, "tensors", WithoutPath(file.Path, e.Message), e);
        }

        var buffers = state.Optimizer.Buffers.Select(b => (b, Tensors: Expect(file, parameters, OptimizerPrefix + b.Name + "/"))).ToList();
        var extra = file.Keys.Where(n => n.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            .Except(buffers.SelectMany(b => b.Tensors.Select(t => t.Name))).ToList();
        if (extra.Count > 0)
            throw Invalid(file, "tensors", $"the checkpoint holds optimizer state the model's optimizer ({state.Optimizer.Optimizer}) does not have: {string.Join(", ", extra.Take(5))}. Was it written with another optimizer?");
        var accumulated = accumulatedBatches > 0 && state.Accumulated is not null ? Expect(file, parameters, AccumulatorPrefix) : null;
        foreach (var (buffer, tensors) in buffers)
            CheckValues(file, tensors, nonNegative: buffer.Name == SecondMomentName);
        if (accumulated is not null)
            CheckValues(file, accumulated, nonNegative: false);

        // dsl.model, dsl.optimizer, dsl.seed and dsl.rng describe the run for readers of the file;
        // resuming does not read them, so no value of theirs can change anything.
        return new Contents(
            file, epoch, batch, step, accumulatedBatches, buffers, accumulated,
            CallbackStates(file, state.Callbacks), ReadEpochMeans(file), ReadMetrics(file));
    }

    /// <summary>
    /// Applies checked contents. Callbacks go first: a user's callback may still throw from
    /// <see cref="Callback.LoadState"/>, and then the model is untouched; nothing after them can fail.
    /// </summary>
    private static void Apply(Contents contents, ParameterStore parameters, State state)
    {
        foreach (var (callback, saved) in contents.CallbackStates)
            CallCallback(contents.File, callback, () => callback.LoadState(saved));
        state.EpochMeans.Load(contents.EpochMeans);
        parameters.LoadFrom(contents.File, ignore: IsTrainerState);
        foreach (var (buffer, tensors) in contents.Buffers)
            CopyPerParameter(parameters, tensors, buffer.Values.Span);
        state.Optimizer.Step = contents.GlobalStep;
        if (contents.Accumulated is not null)
            CopyPerParameter(parameters, contents.Accumulated, state.Accumulated);
    }

    /// <summary>Each callback's stored state, checked by the callback; a callback with none keeps its own.</summary>
    private static List<(Callback, JsonObject)> CallbackStates(SafeTensorsFile file, IReadOnlyList<Callback> callbacks)
    {
        JsonObject stored = ParseObject(file, Callbacks);
        var states = new List<(Callback, JsonObject)>();
        foreach (Callback callback in callbacks)
        {
            if (!stored.TryGetPropertyValue(callback.StateKey, out JsonNode? node))
                continue;
            if (node is not JsonObject saved)
                throw Invalid(file, CallbackField(callback), $"metadata '{Callbacks}' holds {Show(node)} for '{callback.StateKey}'; expected a JSON object.");
            CallCallback(file, callback, () => callback.ValidateState(saved));
            states.Add((callback, saved));
        }

        return states;
    }

    /// <summary>
    /// Runs a callback's check or load of its state, reporting a rejection with the file and the
    /// callback. Besides InvalidDataException, the exceptions that reading a JsonNode of the wrong
    /// kind throws (a cast, a parse) also mean "malformed", from callbacks that read without checking.
    /// </summary>
    private static void CallCallback(SafeTensorsFile file, Callback callback, Action call)
    {
        try
        {
            call();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw Invalid(file, CallbackField(callback), $"metadata '{Callbacks}', state of '{callback.StateKey}': {e.Message}", e);
        }
    }

    private static string CallbackField(Callback callback) => $"{Callbacks}[\"{callback.StateKey}\"]";

    private static List<MetricMeans.Total> ReadEpochMeans(SafeTensorsFile file)
    {
        try
        {
            return MetricMeans.Parse(ParseObject(file, EpochMeans));
        }
        catch (InvalidDataException e)
        {
            throw Invalid(file, EpochMeans, $"metadata '{EpochMeans}': {e.Message}", e);
        }
    }

    /// <summary>The stored metric values; only finite numbers are ever written.</summary>
    private static Dictionary<string, double> ReadMetrics(SafeTensorsFile file)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, node) in ParseObject(file, Metrics))
        {
            if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out double number) && double.IsFinite(number))
                metrics[name] = number;
            else
                throw Invalid(file, Metrics, $"metadata '{Metrics}' holds {Show(node)} for '{name}'; expected a finite number.");
        }

        return metrics;
    }

    private static List<SafeTensor> Expect(SafeTensorsFile file, ParameterStore parameters, string prefix)
    {
        var tensors = new List<SafeTensor>(parameters.Parameters.Count);
        // Optimizer moments and accumulated gradients exist for the trainable parameters only, not the buffers.
        foreach (ParameterInfo info in parameters.Parameters.Where(p => p.IsTrainable))
        {
            if (!file.TryGetValue(prefix + info.Name, out SafeTensor? tensor))
                throw Invalid(file, prefix + info.Name, $"tensor '{prefix + info.Name}' is missing; the checkpoint was written for another model or optimizer.");
            if (tensor.ElementCount != info.Length || tensor.DType != SafeTensorsDType.F32)
                throw Invalid(file, tensor.Name, $"tensor '{tensor.Name}' is {tensor}; expected F32 [{string.Join(", ", info.Shape)}].");
            tensors.Add(tensor);
        }

        return tensors;
    }

    /// <summary>
    /// The optimizer's state and the accumulated gradient are only ever saved finite (a
    /// non-finite loss stops the run first); a NaN or infinity there, or a negative running mean
    /// of squared gradients, would make every parameter it touches NaN at the next update.
    /// </summary>
    private static void CheckValues(SafeTensorsFile file, List<SafeTensor> tensors, bool nonNegative)
    {
        foreach (SafeTensor tensor in tensors)
        {
            float[] values = tensor.ToFloats();
            int bad = Array.FindIndex(values, v => !float.IsFinite(v) || (nonNegative && v < 0));
            if (bad >= 0)
                throw Invalid(file, tensor.Name, $"tensor '{tensor.Name}' holds {values[bad].ToString(CultureInfo.InvariantCulture)} at element {bad}; expected {(nonNegative ? "finite values of at least 0 (a mean of squares)" : "finite values")}.");
        }
    }

    private static void CopyPerParameter(ParameterStore parameters, List<SafeTensor> tensors, Span<float> flat)
    {
        for (int i = 0; i < tensors.Count; i++)
        {
            ParameterInfo info = parameters.Parameters[i]; // the trainable parameters come first, as Expect lists them
            tensors[i].CopyTo(flat.Slice(info.Offset, info.Length));
        }
    }

    private static string Required(SafeTensorsFile file, string key, string? hint = null) =>
        file.Metadata.TryGetValue(key, out string? value)
            ? value
            : throw Invalid(file, key, $"the metadata has no '{key}', so this is not a Trainer checkpoint{(hint is null ? "" : ": " + hint)}.");

    private static long ParseInteger(SafeTensorsFile file, string key, string text, long max) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value <= max
            ? value
            : throw Invalid(file, key, $"metadata '{key}' is '{Shorten(text)}'; expected an integer from 0 to {max}.");

    private static JsonObject ParseObject(SafeTensorsFile file, string key)
    {
        string text = Required(file, key);
        try
        {
            return JsonNode.Parse(text, documentOptions: StrictJson) as JsonObject
                ?? throw Invalid(file, key, $"metadata '{key}' is '{Shorten(text)}'; expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw Invalid(file, key, $"metadata '{key}' is not valid JSON ({e.Message}).", e);
        }
    }

    private static InvalidCheckpointException Invalid(SafeTensorsFile file, string field, string problem, Exception? inner = null) =>
        new(file.Path, field, problem, inner);

    private static string WithoutPath(string path, string message) =>
        message.StartsWith(path + ": ", StringComparison.Ordinal) ? message[(path.Length + 2)..] : message;

    private static string Show(JsonNode? node) => Shorten(node?.ToJsonString() ?? "null");

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
