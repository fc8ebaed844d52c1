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

    public static ModelCase Create(string name) => name switch
    {
        nameof(TinyCnn) => TinyCnn(),
        nameof(Shaper) => Shaper(),
        nameof(Unrolled) => Unrolled(),
        nameof(ResidualMlp) => ResidualMlp(),
        nameof(Classifier) => Classifier(),
        nameof(Regressor) => Regressor(),
        nameof(Attentive) => Attentive(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static readonly string[] Names = { nameof(Classifier), nameof(Regressor), nameof(Attentive), nameof(ResidualMlp), nameof(Unrolled), nameof(Shaper), nameof(TinyCnn) };
}
