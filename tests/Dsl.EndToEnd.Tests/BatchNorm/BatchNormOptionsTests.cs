using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.BatchNorm;

/// <summary>
/// BatchNorm's PyTorch arguments on the CPU (BatchNormOptions): no weight and bias without
/// <c>Affine</c>, no buffers without <c>TrackRunningStats</c>; the running statistics move by the
/// given <c>Momentum</c> (checked against the input's own statistics in double); Predict of one
/// example normalises with <c>Eps</c>, and without running statistics with the example's own, as the
/// eager reference does. The ONNX export of the model is in Onnx/OnnxExportTests.
/// </summary>
public class BatchNormOptionsTests
{
    private const int Batch = 4, Length = BatchNormOptions.Height * BatchNormOptions.Width;

    [Fact]
    public void AffineAndTrackRunningStatsDecideTheParametersAndBuffers()
    {
        var model = new BatchNormOptions(1);
        string[] names = model.Parameters.Parameters.Select(p => p.Name).ToArray();
        Assert.Contains("rows.running_mean", names);
        Assert.Contains("rows.num_batches_tracked", names);
        Assert.DoesNotContain(names, n => n is "rows.weight" or "rows.bias" || n.StartsWith("norm.running", StringComparison.Ordinal) || n == "norm.num_batches_tracked");
        Assert.Contains("norm.weight", names);
        Assert.Contains("norm.bias", names);
    }

    [Fact]
    public void TrainingStepsMoveTheRunningStatisticsByTheMomentum()
    {
        var model = new BatchNormOptions(2);
        using BatchNormOptions.Program program = model.Compile(Device.Cpu, maxBatch: Batch);
        double[] mean = [0, 0], variance = [1, 1];
        for (int step = 0; step < 3; step++)
        {
            float[] x = Inputs(step, Batch);
            program.TrainStep(x, Labels(step));
            for (int c = 0; c < BatchNormOptions.Channels; c++)
            {
                double[] values = Enumerable.Range(0, Batch).SelectMany(b => x.Skip((b * BatchNormOptions.Channels + c) * Length).Take(Length)).Select(v => (double)v).ToArray();
                double m = values.Average();
                double unbiased = values.Sum(v => (v - m) * (v - m)) / (values.Length - 1);
                mean[c] = (1 - BatchNormOptions.Momentum) * mean[c] + BatchNormOptions.Momentum * m;
                variance[c] = (1 - BatchNormOptions.Momentum) * variance[c] + BatchNormOptions.Momentum * unbiased;
            }
            Assert.Equal(mean, model.Parameters["rows.running_mean"].ToArray().Select(v => (double)v), (a, b) => Math.Abs(a - b) < 1e-5);
            Assert.Equal(variance, model.Parameters["rows.running_var"].ToArray().Select(v => (double)v), (a, b) => Math.Abs(a - b) < 1e-5);
        }
    }

    [Fact]
    public void PredictOfOneExampleMatchesTheEagerForward()
    {
        var model = new BatchNormOptions(3);
        using BatchNormOptions.Program program = model.Compile(Device.Cpu, maxBatch: Batch);
        for (int step = 0; step < 3; step++)
            program.TrainStep(Inputs(step, Batch), Labels(step));

        for (int example = 0; example < 3; example++)
        {
            float[] x = Inputs(10 + example, 1);
            var predicted = new float[BatchNormOptions.Classes];
            program.Predict(x, predicted);
            double[] eager = model.Forward(Tensor.FromFloats(x, BatchNormOptions.Channels, BatchNormOptions.Height, BatchNormOptions.Width)).Data.ToArray();
            for (int k = 0; k < BatchNormOptions.Classes; k++)
                Assert.True(Math.Abs(eager[k] - predicted[k]) < 1e-4, $"example {example}, class {k}: eager {eager[k]}, compiled {predicted[k]}");
        }
    }

    private static float[] Inputs(int seed, int batch)
    {
        var random = new Random(300 + seed);
        return Enumerable.Range(0, batch * BatchNormOptions.Inputs).Select(_ => (float)(random.NextDouble() * 4 - 1)).ToArray();
    }

    private static int[] Labels(int seed)
    {
        var random = new Random(400 + seed);
        return Enumerable.Range(0, Batch).Select(_ => random.Next(BatchNormOptions.Classes)).ToArray();
    }
}
