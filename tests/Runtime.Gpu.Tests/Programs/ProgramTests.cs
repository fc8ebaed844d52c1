using System;
using System.Collections.Generic;
using Xunit;

namespace Dsl.Tests.Programs;

public sealed class ProgramTests
{
    /// <summary>What a generated program looks like from the base class's side.</summary>
    private sealed class FakeProgram(int maxBatch) : CompiledProgram(Device.Cpu, maxBatch, new MetricSet("train_loss", "train_acc"))
    {
        public bool Released { get; private set; }

        public int Batch(ReadOnlySpan<float> x) => BatchOf(x, "x", "[B, 10]", 10);

        public int TokenBatch(ReadOnlySpan<int> ids) => BatchOf(ids, "ids", "[B, 4]", 4);

        public void Labels(ReadOnlySpan<int> y, int batch) => CheckLength(y, "y", "[B]", batch, "x", batch);

        public void LabelsWithoutOrigin(ReadOnlySpan<int> y, int batch) => CheckLength(y, "y", "[B]", batch);

        public void Run() => ThrowIfDisposed();

        /// <summary>Runs <paramref name="inside"/> as a generated entry point runs its body: holding the program.</summary>
        public void Hold(string call, Action inside)
        {
            BeginCall(call);
            try
            {
                inside();
            }
            finally
            {
                EndCall();
            }
        }

        public override StepSignature PredictSignature { get; } =
            new("Forward", new StepInput[] { new("x", ColumnType.Float32, new[] { 10 }) }, Array.Empty<string>(), outputShape: new[] { 2 });

        public override void Predict(Batch batch, Span<float> output) => Batch(batch.Floats(0));

        protected override void Dispose(bool disposing) => Released = true;
    }

    [Fact]
    public void BatchOfDividesByTheExampleSize()
    {
        var program = new FakeProgram(32);
        Assert.Equal(3, program.Batch(new float[30]));
        Assert.Equal(32, program.Batch(new float[320]));
        Assert.Equal(2, program.TokenBatch(new int[8]));
    }

    [Theory]
    [InlineData(25)]
    [InlineData(0)]
    [InlineData(330)]
    public void BatchOfNamesTheTensorAndShape(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => new FakeProgram(32).Batch(new float[length]));
        Assert.StartsWith($"Input 'x' has {length} floats; expected shape [B, 10] (a multiple of 10 floats) with 1 <= B <= 32.", error.Message);
        Assert.Equal("x", error.ParamName);
    }

    [Fact]
    public void CheckLengthNamesExpectedCountAndBatchSource()
    {
        var program = new FakeProgram(32);
        program.Labels(new int[8], 8);
        var error = Assert.Throws<ArgumentException>(() => program.Labels(new int[7], 8));
        Assert.StartsWith("Input 'y' has 7 values; expected shape [B] = 8 values for the batch of 8 given in 'x'.", error.Message);
        error = Assert.Throws<ArgumentException>(() => program.LabelsWithoutOrigin(new int[9], 8));
        Assert.StartsWith("Input 'y' has 9 values; expected shape [B] = 8 values.", error.Message);
    }

    [Fact]
    public void HoldsDeviceBatchAndMetrics()
    {
        var program = new FakeProgram(16);
        Assert.Same(Device.Cpu, program.Device);
        Assert.Equal(16, program.MaxBatch);
        Assert.Equal(new[] { "train_loss", "train_acc" }, program.Metrics.Names);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FakeProgram(0));
    }

    [Fact]
    public void DisposeRunsOnceAndLaterCallsThrow()
    {
        var program = new FakeProgram(1);
        program.Run();
        program.Dispose();
        program.Dispose();
        Assert.True(program.IsDisposed);
        Assert.True(program.Released);
        var error = Assert.Throws<ObjectDisposedException>(program.Run);
        Assert.Contains("FakeProgram", error.Message);
    }

    [Fact]
    public void MetricsThrowOnceTheProgramIsDisposed()
    {
        var program = new FakeProgram(1);
        Assert.Equal(2, program.Metrics.Count);
        program.Dispose();
        var error = Assert.Throws<ObjectDisposedException>(() => program.Metrics);
        Assert.Contains("FakeProgram", error.Message);
    }

    [Fact]
    public void ACallThatStartsWhileAnotherRunsIsRefusedNamingBothAndTheProgram()
    {
        var program = new FakeProgram(1);
        InvalidOperationException? error = null;
        program.Hold("TrainStep", () => error = Assert.Throws<InvalidOperationException>(() => program.Hold("Predict", () => { })));
        Assert.Equal(
            "Predict was called while TrainStep is running on Dsl.Tests.Programs.ProgramTests.FakeProgram; a compiled program runs one call " +
            "at a time (its calls share scratch buffers and the parameters): use one program per thread, or serialize the calls.",
            error!.Message);

        // The program is free again after a call returns, and after one throws.
        program.Hold("Predict", () => { });
        Assert.Throws<FormatException>(() => program.Hold("Predict", () => throw new FormatException()));
        program.Hold("Predict", () => { });
    }

    [Fact]
    public void DisposeWhileACallRunsIsRefusedAndReleasesNothing()
    {
        var program = new FakeProgram(1);
        program.Hold("Predict", () =>
        {
            var error = Assert.Throws<InvalidOperationException>(program.Dispose);
            Assert.StartsWith("Dispose was called while Predict is running on Dsl.Tests.Programs.ProgramTests.FakeProgram;", error.Message);
        });
        Assert.False(program.IsDisposed);
        Assert.False(program.Released);
        program.Dispose();
        Assert.True(program.Released);
    }

    [Fact]
    public void MetricsAreReadByNameOrIndex()
    {
        var metrics = new MetricSet("train_loss", "val_acc", "lr");
        Assert.Equal(3, metrics.Count);
        Assert.True(float.IsNaN(metrics[0]));
        metrics.Set(0, 0.693147f);
        metrics.Set(1, 0.5f);
        metrics.Set(2, 3e-4f);
        Assert.Equal(0.693147f, metrics["train_loss"]);
        Assert.Equal(0.5f, metrics[1]);
        Assert.True(metrics.TryGetValue("val_acc", out float accuracy));
        Assert.Equal(0.5f, accuracy);
        Assert.False(metrics.TryGetValue("val_loss", out float missing));
        Assert.True(float.IsNaN(missing));
        Assert.Equal("train_loss=0.6931 val_acc=0.5000 lr=0.0003", metrics.ToString());

        var error = Assert.Throws<KeyNotFoundException>(() => metrics["val_loss"]);
        Assert.Contains("No metric named 'val_loss'. Available: train_loss, val_acc, lr.", error.Message);
        Assert.Throws<ArgumentException>(() => new MetricSet("a", "a"));
    }

    [Fact]
    public void StepsTheModelDoesNotHaveThrowNotSupported()
    {
        var program = new FakeProgram(4);
        var batch = new Batch(new[] { new ColumnInfo("x", ColumnType.Float32, new[] { 10 }) }, 4);
        Assert.Null(program.TrainingSignature);
        Assert.Null(program.OptimizerState);
        var error = Assert.Throws<NotSupportedException>(() => program.TrainStep(batch));
        Assert.Contains("has no [TrainingStep] method", error.Message);
        Assert.Throws<NotSupportedException>(() => program.EvalStep(batch));
        Assert.Throws<NotSupportedException>(() => program.ValueAndGrad(batch, new float[1]));
    }

    [Fact]
    public void TheCpuDeviceIsTheDefaultSingleton()
    {
        Assert.Same(Device.Cpu, Device.Default);
        Assert.Equal(DeviceKind.Cpu, Device.Cpu.Kind);
        var cpu = Assert.IsType<CpuDevice>(Device.Cpu);
        Assert.Equal(Environment.ProcessorCount, cpu.ThreadCount);
        Assert.StartsWith("CPU (", Device.Cpu.ToString());
        Device.Cpu.Dispose();
        Assert.Same(Device.Cpu, Device.Default);
    }
}
