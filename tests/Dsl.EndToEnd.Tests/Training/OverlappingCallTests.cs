using System;
using System.Threading.Tasks;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.Training;

/// <summary>
/// A compiled program and a Trainer run one call at a time: a call that overlaps another (from a
/// second thread) is refused with a message naming both, and the running call finishes as if
/// alone. Each test holds the first call open at a <see cref="Gate"/> inside it, so the overlap
/// is certain on any number of cores.
/// </summary>
public sealed class OverlappingCallTests
{
    private const string ProgramName = "Dsl.EndToEnd.Tests.Models.ScheduledClassifier.Program";

    private static readonly float[] s_x = Features(8, seed: 3);
    private static readonly int[] s_y = { 0, 1, 2, 0, 1, 2, 0, 1 };

    /// <summary>A constant learning rate that holds the first update to read it at a gate.</summary>
    private sealed class GatedSchedule(Gate gate) : LearningRateSchedule(ScheduleInterval.Step)
    {
        public override double LearningRate(double baseLearningRate, long position)
        {
            gate.Pass();
            return baseLearningRate;
        }
    }

    /// <summary>Holds the first training batch of a Fit at a gate.</summary>
    private sealed class GatedCallback(Gate gate) : Callback
    {
        public override void OnTrainBatchEnd(Trainer trainer, ITrainableModel model, float loss) => gate.Pass();
    }

    [Theory]
    [InlineData("Predict")]
    [InlineData("TrainStep")]
    [InlineData("ValueAndGrad")]
    [InlineData("EvalStep")]
    [InlineData("ExampleLosses")]
    [InlineData("Dispose")]
    public async Task ACallThatOverlapsATrainStepIsRefusedAndTheStepEndsAsIfAlone(string call)
    {
        var model = new ScheduledClassifier(seed: 1);
        using var program = model.Compile(Device.Cpu, maxBatch: 8);
        using var gate = new Gate();
        program.OptimizerState!.Optimizer.Schedule = new GatedSchedule(gate);

        // The step waits at the gate, inside its update; the other call comes meanwhile.
        Task<float> step = Gate.OnAnotherThread(() => program.TrainStep(s_x, s_y));
        gate.WaitUntilEntered();
        InvalidOperationException error;
        try
        {
            error = Assert.Throws<InvalidOperationException>(() => Call(program, call));
        }
        finally
        {
            gate.Release();
        }

        Assert.Equal(
            $"{call} was called while TrainStep is running on {ProgramName}; a compiled program runs one call at a time " +
            "(its calls share scratch buffers and the parameters): use one program per thread, or serialize the calls.",
            error.Message);

        // The step's loss and parameters are those of the same step taken alone, to the bit.
        float loss = await step;
        var alone = new ScheduledClassifier(seed: 1);
        using var reference = alone.Compile(Device.Cpu, maxBatch: 8);
        using (var open = new Gate())
        {
            open.Release();
            reference.OptimizerState!.Optimizer.Schedule = new GatedSchedule(open);
            Assert.Equal(reference.TrainStep(s_x, s_y), loss);
        }
        Assert.Equal(alone.Parameters.Buffer, model.Parameters.Buffer);

        // And the program takes the refused call once the step is over.
        Call(program, call);
    }

    [Fact]
    public void ExampleLossesAndMetricsThrowOnceTheProgramIsDisposed()
    {
        var program = new ScheduledClassifier(seed: 1).Compile(Device.Cpu, maxBatch: 8);
        program.TrainStep(s_x, s_y);
        program.Dispose();

        Assert.Throws<ObjectDisposedException>(() => program.ExampleLosses.Length);
        Assert.Throws<ObjectDisposedException>(() => program.Metrics);
        Assert.Throws<ObjectDisposedException>(() => program.Predict(s_x, new float[8 * 3]));
        program.Dispose();
    }

    [Theory]
    [InlineData("Fit")]
    [InlineData("Validate")]
    [InlineData("Test")]
    [InlineData("Predict")]
    [InlineData("Dispose")]
    public async Task ARunThatOverlapsAFitIsRefusedAndTheFitEndsAsIfAlone(string call)
    {
        var model = new ScheduledClassifier(seed: 1);
        using var gate = new Gate();
        var options = new TrainerOptions { MaxEpochs = 1, EnableProgressBar = false, Callbacks = { new GatedCallback(gate) } };
        using var trainer = new Trainer(options);

        Task<FitResult> fit = Gate.OnAnotherThread(() => trainer.Fit(model, Train(), Validation()));
        gate.WaitUntilEntered();
        InvalidOperationException error;
        try
        {
            error = Assert.Throws<InvalidOperationException>(() => Run(trainer, model, call));
        }
        finally
        {
            gate.Release();
        }

        string described = call == "Dispose" ? "Dispose" : call + "(ScheduledClassifier)";
        Assert.Equal(
            $"Trainer.{described} was called while Trainer.Fit(ScheduledClassifier) is running on the same Trainer; a Trainer runs one " +
            "Fit, Validate, Test or Predict at a time (they share its compiled program): use one Trainer per thread, or wait for the first to return.",
            error.Message);

        // The fit trained as one without the refused call does, to the bit.
        FitResult result = await fit;
        var alone = new ScheduledClassifier(seed: 1);
        using (var solo = new Trainer(new TrainerOptions { MaxEpochs = 1, EnableProgressBar = false }))
            Assert.Equal(solo.Fit(alone, Train(), Validation()).GlobalStep, result.GlobalStep);
        Assert.Equal(alone.Parameters.Buffer, model.Parameters.Buffer);

        // And the trainer takes the refused run once the fit is over.
        Run(trainer, model, call);
    }

    private static void Call(ScheduledClassifier.Program program, string call)
    {
        switch (call)
        {
            case "Predict": program.Predict(s_x, new float[8 * 3]); break;
            case "TrainStep": program.TrainStep(s_x, s_y); break;
            case "ValueAndGrad": program.ValueAndGrad(s_x, s_y, new float[ScheduledClassifier.ParameterCount]); break;
            case "EvalStep": program.EvalStep(s_x, s_y); break;
            case "ExampleLosses": _ = program.ExampleLosses.Length; break;
            case "Dispose": program.Dispose(); break;
            default: throw new ArgumentOutOfRangeException(nameof(call), call, "Not a program call.");
        }
    }

    private static void Run(Trainer trainer, ScheduledClassifier model, string call)
    {
        switch (call)
        {
            case "Fit": trainer.Fit(model, Train(), Validation()); break;
            case "Validate": trainer.Validate(model, Validation()); break;
            case "Test": trainer.Test(model, Validation()); break;
            case "Predict": trainer.Predict(model, Validation()); break;
            case "Dispose": trainer.Dispose(); break;
            default: throw new ArgumentOutOfRangeException(nameof(call), call, "Not a Trainer run.");
        }
    }

    private static DataLoader Train() => new(Blobs.Make(96, 4, 3, seed: 1), 16, shuffle: true, seed: 2);

    private static DataLoader Validation() => new(Blobs.Make(30, 4, 3, seed: 2), 10);

    private static float[] Features(int count, int seed)
    {
        var random = new Random(seed);
        var x = new float[count * 4];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)(random.NextDouble() * 2 - 1);
        return x;
    }
}
