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
internal static partial class TrainerCheckpoint
{
    public const string OptimizerPrefix = "optimizer/";
    public const string AccumulatorPrefix = "trainer/gradient_accumulator/";
    private const string Model = "dsl.model", Epoch = "dsl.epoch", BatchInEpoch = "dsl.batch_in_epoch", GlobalStep = "dsl.global_step";
    private const string OptimizerName = "dsl.optimizer", Seed = "dsl.seed", Rng = "dsl.rng", Callbacks = "dsl.callbacks";
    private const string EpochMeans = "dsl.epoch_means", Metrics = "dsl.metrics", AccumulatedBatches = "dsl.accumulated_batches";

    // The ranks of the DDP job that saved it: each rank's position in an epoch is a count of its
    // own batches, which means the same examples only for the same world size. Absent means 1.
    private const string WorldSize = "dsl.world_size";

    /// <summary>True for tensors that hold trainer state rather than a model parameter.</summary>
    public static bool IsTrainerState(string name) => name.Contains('/', StringComparison.Ordinal);

    /// <summary>Everything a checkpoint holds besides the parameters.</summary>
    public sealed record State(
        int Epoch, int BatchInEpoch, OptimizerState Optimizer, IReadOnlyList<Callback> Callbacks, MetricMeans EpochMeans,
        float[]? Accumulated, int AccumulatedBatches, int AccumulateGradBatches, IReadOnlyDictionary<string, double> Metrics, int Seed, DataLoader Train, int WorldSize);

    /// <summary>Where a restored run continues, and the metrics it had.</summary>
    public sealed record Resumed(int Epoch, int BatchInEpoch, int AccumulatedBatches, IReadOnlyDictionary<string, double> Metrics);

    public static void Save(string path, ITrainableModel model, State? state)
    {
        var tensors = new List<SafeTensor>(model.Parameters.ToSafeTensors());
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt", [Model] = model.Name };
        if (state is not null)
        {
            foreach (OptimizerBuffer buffer in state.Optimizer.BuffersForReading)
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
            metadata[WorldSize] = Text(state.WorldSize);
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

    private static IEnumerable<SafeTensor> PerParameter(ParameterStore parameters, string prefix, ReadOnlySpan<float> flat)
    {
        var tensors = new List<SafeTensor>(parameters.Parameters.Count);
        // Optimizer moments and accumulated gradients exist for the trainable parameters only, not the buffers.
        foreach (ParameterInfo info in parameters.Parameters.Where(p => p.IsTrainable))
            tensors.Add(SafeTensor.FromFloats(prefix + info.Name, info.Shape, flat.Slice(info.Offset, info.Length)));
        return tensors;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
