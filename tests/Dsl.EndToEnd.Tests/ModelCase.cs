using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using QuickStart;

namespace Dsl.EndToEnd.Tests;

/// <summary>A batch: float inputs, and either class labels or float targets.</summary>
public sealed record Batch(int Size, float[] X, int[] Labels, float[] Targets);

/// <summary>
/// One compiled model seen through the same small surface, so every end-to-end check runs on
/// every model: its eager reference (the user's own methods on <see cref="Tensor"/>) beside its
/// compiled program.
/// </summary>
public sealed class ModelCase : IDisposable
{
    public required string Name { get; init; }
    public required ParameterStore Parameters { get; init; }
    public required int InputSize { get; init; }
    public required int OutputSize { get; init; }
    public required int TargetSize { get; init; }
    public required int Classes { get; init; }

    /// <summary>The user's [TrainingStep] run eagerly on one example.</summary>
    public required Func<float[], int, float[], double> EagerLoss { get; init; }

    /// <summary>The user's [Forward] run eagerly on one example.</summary>
    public required Func<float[], double[]> EagerForward { get; init; }

    public required Func<Batch, float[], float> ValueAndGrad { get; init; }
    public required Func<Batch, float> TrainStep { get; init; }
    public required Action<float[], float[]> Predict { get; init; }
    public required CompiledProgram Program { get; init; }

    public void Dispose() => Program.Dispose();

    /// <summary>The eager batch-mean loss, in double.</summary>
    public double EagerBatchLoss(Batch batch) =>
        Enumerable.Range(0, batch.Size).Average(b => EagerLoss(
            batch.X.AsSpan(b * InputSize, InputSize).ToArray(),
            Classes > 0 ? batch.Labels[b] : 0,
            TargetSize > 0 ? batch.Targets.AsSpan(b * TargetSize, TargetSize).ToArray() : Array.Empty<float>()));

    public Batch RandomBatch(int size, int seed)
    {
        var random = new Random(seed);
        float[] x = Enumerable.Range(0, size * InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        int[] labels = Enumerable.Range(0, size).Select(_ => Classes > 0 ? random.Next(Classes) : 0).ToArray();
        float[] targets = Enumerable.Range(0, size * TargetSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        return new Batch(size, x, labels, targets);
    }

    public static ModelCase Classifier(int maxBatch = 64, int seed = 1)
    {
        var model = new Classifier(seed);
        Classifier.Program program = model.Compile(Device.Cpu, maxBatch);
        return new ModelCase
        {
            Name = nameof(Classifier), Parameters = model.Parameters, InputSize = 10, OutputSize = 2, TargetSize = 0, Classes = 2,
            EagerLoss = (x, label, _) => model.TrainingStep(Tensor.FromFloats(x, 10), label).Item(),
            EagerForward = x => model.Forward(Tensor.FromFloats(x, 10)).Data.ToArray(),
            ValueAndGrad = (b, g) => program.ValueAndGrad(b.X, b.Labels, g),
            TrainStep = b => program.TrainStep(b.X, b.Labels),
            Predict = (x, y) => program.Predict(x, y),
            Program = program,
        };
    }

    public static ModelCase Regressor(int maxBatch = 64, int seed = 2)
    {
        var model = new Regressor(seed);
        Regressor.Program program = model.Compile(Device.Cpu, maxBatch);
        return new ModelCase
        {
            Name = nameof(Regressor), Parameters = model.Parameters, InputSize = 5, OutputSize = 3, TargetSize = 3, Classes = 0,
            EagerLoss = (x, _, t) => model.TrainingStep(Tensor.FromFloats(x, 5), Tensor.FromFloats(t, 3)).Item(),
            EagerForward = x => model.Forward(Tensor.FromFloats(x, 5)).Data.ToArray(),
            ValueAndGrad = (b, g) => program.ValueAndGrad(b.X, b.Targets, g),
            TrainStep = b => program.TrainStep(b.X, b.Targets),
            Predict = (x, y) => program.Predict(x, y),
            Program = program,
        };
    }

    public static ModelCase Attentive(int maxBatch = 64, int seed = 3)
    {
        var model = new Attentive(seed);
        Attentive.Program program = model.Compile(Device.Cpu, maxBatch);
        return new ModelCase
        {
            Name = nameof(Attentive), Parameters = model.Parameters, InputSize = 6, OutputSize = 4, TargetSize = 0, Classes = 4,
            EagerLoss = (x, label, _) => model.TrainingStep(Tensor.FromFloats(x, 6), label).Item(),
            EagerForward = x => model.Forward(Tensor.FromFloats(x, 6)).Data.ToArray(),
            ValueAndGrad = (b, g) => program.ValueAndGrad(b.X, b.Labels, g),
            TrainStep = b => program.TrainStep(b.X, b.Labels),
            Predict = (x, y) => program.Predict(x, y),
            Program = program,
        };
    }

    public static ModelCase ResidualMlp(int maxBatch = 64, int seed = 4)
    {
        var model = new ResidualMlp(seed);
        ResidualMlp.Program program = model.Compile(Device.Cpu, maxBatch);
        return new ModelCase
        {
            Name = nameof(ResidualMlp), Parameters = model.Parameters, InputSize = Models.ResidualMlp.Inputs, OutputSize = Models.ResidualMlp.Classes, TargetSize = 0, Classes = Models.ResidualMlp.Classes,
            EagerLoss = (x, label, _) => model.TrainingStep(Tensor.FromFloats(x, Models.ResidualMlp.Inputs), label).Item(),
            EagerForward = x => model.Forward(Tensor.FromFloats(x, Models.ResidualMlp.Inputs)).Data.ToArray(),
            ValueAndGrad = (b, g) => program.ValueAndGrad(b.X, b.Labels, g),
            TrainStep = b => program.TrainStep(b.X, b.Labels),
            Predict = (x, y) => program.Predict(x, y),
            Program = program,
        };
    }

    public static ModelCase Unrolled(int maxBatch = 64, int seed = 6)
    {
        var model = new Unrolled(seed);
        Unrolled.Program program = model.Compile(Device.Cpu, maxBatch);
        return new ModelCase
        {
            Name = nameof(Unrolled), Parameters = model.Parameters, InputSize = Models.Unrolled.Inputs, OutputSize = Models.Unrolled.Classes, TargetSize = 0, Classes = Models.Unrolled.Classes,
            EagerLoss = (x, label, _) => model.TrainingStep(Tensor.FromFloats(x, Models.Unrolled.Inputs), label).Item(),
            EagerForward = x => model.Forward(Tensor.FromFloats(x, Models.Unrolled.Inputs)).Data.ToArray(),
            ValueAndGrad = (b, g) => program.ValueAndGrad(b.X, b.Labels, g),
            TrainStep = b => program.TrainStep(b.X, b.Labels),
            Predict = (x, y) => program.Predict(x, y),
            Program = program,
        };
    }

    public static ModelCase Shaper(int maxBatch = 64, int seed = 7)
    {
        var model = new Shaper(seed);
        Shaper.Program program = model.Compile(Device.Cpu, maxBatch);
        return new ModelCase
        {
            Name = nameof(Shaper), Parameters = model.Parameters, InputSize = Models.Shaper.Inputs, OutputSize = Models.Shaper.Classes, TargetSize = 0, Classes = Models.Shaper.Classes,
            EagerLoss = (x, label, _) => model.TrainingStep(Tensor.FromFloats(x, Models.Shaper.Inputs), label).Item(),
            EagerForward = x => model.Forward(Tensor.FromFloats(x, Models.Shaper.Inputs)).Data.ToArray(),
            ValueAndGrad = (b, g) => program.ValueAndGrad(b.X, b.Labels, g),
            TrainStep = b => program.TrainStep(b.X, b.Labels),
            Predict = (x, y) => program.Predict(x, y),
            Program = program,
        };
    }

    public static ModelCase Reducer(int maxBatch = 64, int seed = 8)
    {
        var model = new Reducer(seed);
        Reducer.Program program = model.Compile(Device.Cpu, maxBatch);
        const int inputs = Models.Reducer.Rows * Models.Reducer.Columns;
        return new ModelCase
        {
            Name = nameof(Reducer), Parameters = model.Parameters, InputSize = inputs, OutputSize = Models.Reducer.Classes, TargetSize = 0, Classes = Models.Reducer.Classes,
            EagerLoss = (x, label, _) => model.TrainingStep(Tensor.FromFloats(x, Models.Reducer.Rows, Models.Reducer.Columns), label).Item(),
            EagerForward = x => model.Forward(Tensor.FromFloats(x, Models.Reducer.Rows, Models.Reducer.Columns)).Data.ToArray(),
            ValueAndGrad = (b, g) => program.ValueAndGrad(b.X, b.Labels, g),
            TrainStep = b => program.TrainStep(b.X, b.Labels),
            Predict = (x, y) => program.Predict(x, y),
            Program = program,
        };
    }

    public static ModelCase Broadcaster(int maxBatch = 64, int seed = 9)
    {
        var model = new Broadcaster(seed);
        Broadcaster.Program program = model.Compile(Device.Cpu, maxBatch);
        const int inputs = Models.Broadcaster.Rows * Models.Broadcaster.Columns;
        return new ModelCase
        {
            Name = nameof(Broadcaster), Parameters = model.Parameters, InputSize = inputs, OutputSize = Models.Broadcaster.Classes, TargetSize = 0, Classes = Models.Broadcaster.Classes,
            EagerLoss = (x, label, _) => model.TrainingStep(Tensor.FromFloats(x, Models.Broadcaster.Rows, Models.Broadcaster.Columns), label).Item(),
            EagerForward = x => model.Forward(Tensor.FromFloats(x, Models.Broadcaster.Rows, Models.Broadcaster.Columns)).Data.ToArray(),
            ValueAndGrad = (b, g) => program.ValueAndGrad(b.X, b.Labels, g),
            TrainStep = b => program.TrainStep(b.X, b.Labels),
            Predict = (x, y) => program.Predict(x, y),
            Program = program,
        };
    }

    /// <summary>
    /// <see cref="Models.TwoHeads"/> through the same surface: its output is the logits followed by
    /// the score (both spans of its Predict), its targets per example are the regression target and
    /// the auxiliary loss's weight, mapped from [-1, 1) to [0, 1) so the loss is bounded below.
    /// </summary>
    public static ModelCase TwoHeads(int maxBatch = 64, int seed = 8)
    {
        const int Inputs = Models.TwoHeads.Inputs, Classes = Models.TwoHeads.Classes;
        var model = new TwoHeads(seed);
        TwoHeads.Program program = model.Compile(Device.Cpu, maxBatch);
        static float[] Column(float[] targets, int column) =>
            Enumerable.Range(0, targets.Length / 2).Select(b => column == 0 ? targets[2 * b] : (targets[2 * b + 1] + 1) / 2).ToArray();
        return new ModelCase
        {
            Name = nameof(TwoHeads), Parameters = model.Parameters, InputSize = Inputs, OutputSize = Classes + 1, TargetSize = 2, Classes = Classes,
            EagerLoss = (x, label, t) => model.TrainingStep(Tensor.FromFloats(x, Inputs), label, Tensor.Scalar(t[0]), Tensor.Scalar((t[1] + 1) / 2)).Item(),
            EagerForward = x =>
            {
                var (logits, score) = model.Forward(Tensor.FromFloats(x, Inputs));
                return logits.Data.ToArray().Concat(score.Data.ToArray()).ToArray();
            },
            ValueAndGrad = (b, g) => program.ValueAndGrad(b.X, b.Labels, Column(b.Targets, 0), Column(b.Targets, 1), g),
            TrainStep = b => program.TrainStep(b.X, b.Labels, Column(b.Targets, 0), Column(b.Targets, 1)),
            Predict = (x, y) =>
            {
                // Both spans of the typed Predict, interleaved per example as EagerForward lists them.
                int batch = x.Length / Inputs;
                var logits = new float[batch * Classes];
                var score = new float[batch];
                program.Predict(x, logits, score);
                for (int b = 0; b < batch; b++)
                {
                    logits.AsSpan(b * Classes, Classes).CopyTo(y.AsSpan(b * (Classes + 1)));
                    y[b * (Classes + 1) + Classes] = score[b];
                }
            },
            Program = program,
        };
    }

    public static ModelCase TinyCnn(int maxBatch = 64, int seed = 8)
    {
        const int c = Models.TinyCnn.Channels, h = Models.TinyCnn.Height, w = Models.TinyCnn.Width;
        var model = new TinyCnn(seed);
        TinyCnn.Program program = model.Compile(Device.Cpu, maxBatch);
        return new ModelCase
        {
            Name = nameof(TinyCnn), Parameters = model.Parameters, InputSize = Models.TinyCnn.Inputs, OutputSize = Models.TinyCnn.Classes, TargetSize = 0, Classes = Models.TinyCnn.Classes,
            EagerLoss = (x, label, _) => model.TrainingStep(Tensor.FromFloats(x, c, h, w), label).Item(),
            EagerForward = x => model.Forward(Tensor.FromFloats(x, c, h, w)).Data.ToArray(),
            ValueAndGrad = (b, g) => program.ValueAndGrad(b.X, b.Labels, g),
            TrainStep = b => program.TrainStep(b.X, b.Labels),
            Predict = (x, y) => program.Predict(x, y),
            Program = program,
        };
    }

    // Conv groups, non-square windows and adaptive pooling (issue 19, conv branch).
    public static ModelCase GroupedCnn(int maxBatch = 64, int seed = 8)
    {
        const int c = Models.GroupedCnn.Channels, h = Models.GroupedCnn.Height, w = Models.GroupedCnn.Width;
        var model = new GroupedCnn(seed);
        GroupedCnn.Program program = model.Compile(Device.Cpu, maxBatch);
        return new ModelCase
        {
            Name = nameof(GroupedCnn), Parameters = model.Parameters, InputSize = Models.GroupedCnn.Inputs, OutputSize = Models.GroupedCnn.Classes, TargetSize = 0, Classes = Models.GroupedCnn.Classes,
            EagerLoss = (x, label, _) => model.TrainingStep(Tensor.FromFloats(x, c, h, w), label).Item(),
            EagerForward = x => model.Forward(Tensor.FromFloats(x, c, h, w)).Data.ToArray(),
            ValueAndGrad = (b, g) => program.ValueAndGrad(b.X, b.Labels, g),
            TrainStep = b => program.TrainStep(b.X, b.Labels),
            Predict = (x, y) => program.Predict(x, y),
            Program = program,
        };
    }

    public static ModelCase Create(string name) => name switch
    {
        nameof(Reducer) => Reducer(),
        nameof(Broadcaster) => Broadcaster(),
        nameof(TwoHeads) => TwoHeads(),
        nameof(TinyCnn) => TinyCnn(),
        nameof(Shaper) => Shaper(),
        nameof(Unrolled) => Unrolled(),
        nameof(ResidualMlp) => ResidualMlp(),
        nameof(Classifier) => Classifier(),
        nameof(Regressor) => Regressor(),
        nameof(Attentive) => Attentive(),
        nameof(GroupedCnn) => GroupedCnn(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static readonly string[] Names = { nameof(Classifier), nameof(Regressor), nameof(Attentive), nameof(ResidualMlp), nameof(Unrolled), nameof(Shaper), nameof(Reducer), nameof(Broadcaster), nameof(TwoHeads), nameof(TinyCnn),
        nameof(GroupedCnn), // conv branch
    };
}
