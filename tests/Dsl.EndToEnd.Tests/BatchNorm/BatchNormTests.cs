using System;
using System.IO;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.BatchNorm;

/// <summary>
/// BatchNorm's buffers on the CPU: where they live, how a training step updates them (checked
/// against the statistics of the input itself: TinyBatchNorm's Rows layer normalises the input's
/// rows), that prediction uses them as the eager reference does, that the optimizer and the
/// gradients leave them out, the checkpoint names and dtypes, and PyTorch's error for one value
/// per channel. The gradients are checked in double precision in the generator's GradientCheckTests,
/// and against PyTorch in Torch/CnnTorchTests.
/// </summary>
public class BatchNormTests
{
    private const int Batch = 5, Length = TinyBatchNorm.Height * TinyBatchNorm.Width;

    [Fact]
    public void BuffersFollowTheParametersUnderPyTorchNames()
    {
        var model = new TinyBatchNorm(1);
        string[] buffers = model.Parameters.Parameters.Where(p => !p.IsTrainable).Select(p => p.Name).ToArray();
        Assert.Equal(
            ["norm.running_mean", "norm.running_var", "norm.num_batches_tracked", "rows.running_mean", "rows.running_var", "rows.num_batches_tracked",
             "hidden_norm.running_mean", "hidden_norm.running_var", "hidden_norm.num_batches_tracked"],
            buffers);
        Assert.Equal(TinyBatchNorm.ParameterCount, model.Parameters.TrainableCount);
        Assert.Equal(TinyBatchNorm.ParameterCount + TinyBatchNorm.BufferCount, model.Parameters.Count);
        Assert.Equal(TinyBatchNorm.BufferCount, 2 * (3 + 2 + 6) + 3);
        Assert.All(model.Parameters.Parameters.Where(p => p.IsTrainable), p => Assert.True(p.Offset < model.Parameters.TrainableCount));
        Assert.Equal(ParameterRole.CountBuffer, model.Parameters.Info("rows.num_batches_tracked").Role);
        Assert.Equal(Enumerable.Repeat(1f, 2), model.Parameters["rows.running_var"].ToArray());
        Assert.Equal(Enumerable.Repeat(1f, 3), model.Parameters["norm.weight"].ToArray());
    }

    [Fact]
    public void TrainingStepsUpdateTheRunningStatisticsWithTheUnbiasedVariance()
    {
        var model = new TinyBatchNorm(2);
        using TinyBatchNorm.Program program = model.Compile(Device.Cpu, maxBatch: Batch);
        double[] mean = [0, 0], variance = [1, 1];
        for (int step = 0; step < 3; step++)
        {
            float[] x = Inputs(step);
            program.TrainStep(x, Labels(step));
            for (int c = 0; c < TinyBatchNorm.Channels; c++)
            {
                // Channel c of the Rows layer is the input's channel c, over the batch and its 20 positions.
                double[] values = Enumerable.Range(0, Batch).SelectMany(b => x.Skip((b * TinyBatchNorm.Channels + c) * Length).Take(Length)).Select(v => (double)v).ToArray();
                double m = values.Average();
                double unbiased = values.Sum(v => (v - m) * (v - m)) / (values.Length - 1);
                mean[c] = 0.9 * mean[c] + 0.1 * m;
                variance[c] = 0.9 * variance[c] + 0.1 * unbiased;
            }
            Assert.Equal(mean, model.Parameters["rows.running_mean"].ToArray().Select(v => (double)v), (a, b) => Math.Abs(a - b) < 1e-5);
            Assert.Equal(variance, model.Parameters["rows.running_var"].ToArray().Select(v => (double)v), (a, b) => Math.Abs(a - b) < 1e-5);
            Assert.Equal(step + 1, model.Parameters["rows.num_batches_tracked"][0]);
        }
    }

    [Fact]
    public void GradientsCoverTheParametersOnlyAndPredictUsesTheRunningStatisticsAsTheEagerForward()
    {
        var model = new TinyBatchNorm(3);
        using TinyBatchNorm.Program program = model.Compile(Device.Cpu, maxBatch: Batch);
        Assert.Throws<ArgumentException>(() => program.ValueAndGrad(Inputs(0), Labels(0), new float[model.Parameters.Count]));
        for (int step = 0; step < 4; step++)
            program.TrainStep(Inputs(step), Labels(step));
        Assert.NotEqual(0f, model.Parameters["hidden_norm.running_mean"][0]);

        float[] x = Inputs(9);
        var predicted = new float[Batch * TinyBatchNorm.Classes];
        program.Predict(x, predicted);
        for (int b = 0; b < Batch; b++)
        {
            double[] eager = model.Forward(Tensor.FromFloats(x.AsSpan(b * TinyBatchNorm.Inputs, TinyBatchNorm.Inputs), TinyBatchNorm.Channels, TinyBatchNorm.Height, TinyBatchNorm.Width)).Data.ToArray();
            for (int k = 0; k < TinyBatchNorm.Classes; k++)
                Assert.True(Math.Abs(eager[k] - predicted[b * TinyBatchNorm.Classes + k]) < 1e-4, $"example {b}, class {k}: eager {eager[k]}, compiled {predicted[b * TinyBatchNorm.Classes + k]}");
        }
    }

    [Fact]
    public void ATrainingBatchWithOneValuePerChannelIsRefusedAndChangesNothing()
    {
        var model = new TinyBatchNorm(4);
        using TinyBatchNorm.Program program = model.Compile(Device.Cpu, maxBatch: Batch);
        float[] before = model.Parameters.Values.ToArray();
        var error = Assert.Throws<ArgumentException>(() => program.TrainStep(Inputs(0).AsSpan(0, TinyBatchNorm.Inputs), Labels(0).AsSpan(0, 1)));
        Assert.Contains("BatchNorm layer 'HiddenNorm'", error.Message);
        Assert.Contains("Expected more than 1 value per channel when training", error.Message);
        Assert.Equal(before, model.Parameters.Values.ToArray());

        // Prediction of one example uses the running statistics, as PyTorch's eval mode does.
        var output = new float[TinyBatchNorm.Classes];
        program.Predict(Inputs(0).AsSpan(0, TinyBatchNorm.Inputs), output);
        Assert.All(output, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void CheckpointsHoldTheBuffersWithTheCounterAsInt64()
    {
        var model = new TinyBatchNorm(5);
        using (TinyBatchNorm.Program program = model.Compile(Device.Cpu, maxBatch: Batch))
        {
            program.TrainStep(Inputs(0), Labels(0));
            program.TrainStep(Inputs(1), Labels(1));
        }
        string path = Path.Combine(Path.GetTempPath(), $"bn-{Guid.NewGuid():N}.safetensors");
        try
        {
            model.Parameters.SaveSafeTensors(path);
            SafeTensorsFile file = SafeTensors.Load(path);
            Assert.Equal(SafeTensorsDType.I64, file["norm.num_batches_tracked"].DType);
            Assert.Empty(file["norm.num_batches_tracked"].Shape);
            Assert.Equal([2L], file["norm.num_batches_tracked"].ToInt64s());
            Assert.Equal(model.Parameters["norm.running_var"].ToArray(), file["norm.running_var"].ToFloats());

            var loaded = new TinyBatchNorm(6);
            loaded.Parameters.LoadSafeTensors(path);
            Assert.Equal(model.Parameters.Values.ToArray(), loaded.Parameters.Values.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheTrainerAccumulatesGradientsOfTheParametersOnlyAndEveryBatchUpdatesTheBuffers()
    {
        var model = new TinyBatchNorm(6);
        using var trainer = new Trainer(new TrainerOptions { MaxEpochs = 1, AccumulateGradBatches = 2, EnableProgressBar = false });
        var data = new DataLoader(Training.Blobs.Make(96, TinyBatchNorm.Inputs, TinyBatchNorm.Classes, seed: 1), 16, shuffle: true, seed: 2);
        Assert.Equal(3, trainer.Fit(model, data).GlobalStep);
        Assert.Equal(6f, model.Parameters["norm.num_batches_tracked"][0]); // a training-mode forward pass per batch, as in PyTorch
    }

    [Fact]
    public void ResumingFromATrainerCheckpointRestoresTheBuffersBitForBit()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"bn-resume-{Guid.NewGuid():N}");
        try
        {
            DataLoader Data() => new(Training.Blobs.Make(64, TinyBatchNorm.Inputs, TinyBatchNorm.Classes, seed: 3), 16, shuffle: true, seed: 4);
            TrainerOptions Options(int epochs, string name) => new()
            {
                MaxEpochs = epochs, EnableProgressBar = false,
                Callbacks = { new ModelCheckpoint(Path.Combine(folder, name), monitor: "train_loss", saveLast: true) },
            };
            var uninterrupted = new TinyBatchNorm(8);
            using (var trainer = new Trainer(Options(4, "whole")))
                trainer.Fit(uninterrupted, Data());
            var first = new TinyBatchNorm(8);
            using (var trainer = new Trainer(Options(2, "resumed")))
                trainer.Fit(first, Data());
            var resumed = new TinyBatchNorm(9);
            using (var trainer = new Trainer(Options(4, "resumed")))
                trainer.Fit(resumed, Data(), resumeFrom: Path.Combine(folder, "resumed", "last.safetensors"));

            Assert.Equal(16f, resumed.Parameters["norm.num_batches_tracked"][0]);
            Assert.Equal(uninterrupted.Parameters.Values.ToArray().Select(BitConverter.SingleToInt32Bits), resumed.Parameters.Values.ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    private static float[] Inputs(int seed)
    {
        var random = new Random(100 + seed);
        return Enumerable.Range(0, Batch * TinyBatchNorm.Inputs).Select(_ => (float)(random.NextDouble() * 4 - 1)).ToArray();
    }

    private static int[] Labels(int seed)
    {
        var random = new Random(200 + seed);
        return Enumerable.Range(0, Batch).Select(_ => random.Next(TinyBatchNorm.Classes)).ToArray();
    }
}
