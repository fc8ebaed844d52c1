using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.Pooling;

/// <summary>
/// The 1-D and adaptive max pooling layers (issue 19): the eager AdaptiveMaxPool2d against PyTorch's
/// windows (start ⌊i·H/oh⌋, end ⌈(i+1)·H/oh⌉ computed here in floating point), the eager 1-D layers
/// against the 2-D ones over a one-row image, and the compiled programs of SequencePool and
/// UnevenMaxPool (direct pooling ops, the uneven windows one adaptive op) against their eager
/// forward, before and after training steps. PyTorch itself: Torch/CnnTorchTests.
/// </summary>
public class AdaptiveMaxAndSequencePoolTests
{
    private const int Batch = 3;

    [Theory]
    [InlineData(3, 4)]
    [InlineData(4, 7)]
    [InlineData(1, 1)]
    public void TheEagerAdaptiveMaxPoolTakesTheLargestOfPyTorchsWindows(int outputHeight, int outputWidth)
    {
        const int channels = 2, height = 7, width = 5;
        float[] x = Inputs(1, channels * height * width);
        double[] pooled = EagerLayers.AdaptiveMaxPool2d(Tensor.FromFloats(x, channels, height, width), outputHeight, outputWidth).Data.ToArray();
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < outputHeight; i++)
                for (int j = 0; j < outputWidth; j++)
                {
                    // torch/aten/src/ATen/native/AdaptiveMaxPooling2d.cpp: start_index and end_index.
                    int top = (int)Math.Floor(i * (double)height / outputHeight), bottom = (int)Math.Ceiling((i + 1) * (double)height / outputHeight);
                    int left = (int)Math.Floor(j * (double)width / outputWidth), right = (int)Math.Ceiling((j + 1) * (double)width / outputWidth);
                    double expected = double.NegativeInfinity;
                    for (int row = top; row < bottom; row++)
                        for (int col = left; col < right; col++)
                            expected = Math.Max(expected, x[(c * height + row) * width + col]);
                    Assert.Equal(expected, pooled[(c * outputHeight + i) * outputWidth + j], 12);
                }
    }

    [Fact]
    public void TheEager1dLayersAreThe2dOnesOverAOneRowImage()
    {
        float[] x = Inputs(2, 3 * 9);
        Tensor sequence = Tensor.FromFloats(x, 3, 9), image = Tensor.FromFloats(x, 3, 1, 9);
        Assert.Equal(EagerLayers.AvgPool2d(image, 1, 3, 1, 2, 0, 1).Data.ToArray(), EagerLayers.AvgPool1d(sequence, 3, 2, 1).Data.ToArray());
        Assert.Equal(EagerLayers.MaxPool2d(image, 1, 3, 1, 2, 0, 1).Data.ToArray(), EagerLayers.MaxPool1d(sequence, 3, 2, 1).Data.ToArray());
        Assert.Equal(EagerLayers.AdaptiveAvgPool2d(image, 1, 4).Data.ToArray(), EagerLayers.AdaptiveAvgPool1d(sequence, 4).Data.ToArray());
        Assert.Equal(EagerLayers.AdaptiveMaxPool2d(image, 1, 4).Data.ToArray(), EagerLayers.AdaptiveMaxPool1d(sequence, 4).Data.ToArray());
        // Dilation 2: taps 0, 2, 4 of each window of stride 3 (PyTorch's max_pool1d with dilation=2).
        double[] dilated = EagerLayers.MaxPool1d(sequence, 3, 3, 0, 2).Data.ToArray();
        Assert.Equal(new[] { 0, 3 }.Select(start => (double)new[] { x[start], x[start + 2], x[start + 4] }.Max()), dilated.Take(2));
    }

    [Fact]
    public void SequencePoolPredictMatchesTheEagerForwardBeforeAndAfterTraining()
    {
        var model = new SequencePool(5);
        using SequencePool.Program program = model.Compile(Device.Cpu, maxBatch: Batch);
        CheckAgainstEager(model.Parameters, SequencePool.Inputs, SequencePool.Classes, [SequencePool.Channels, SequencePool.Length],
            x => model.Forward(x), (x, y) => program.Predict(x, y), (x, labels) => program.TrainStep(x, labels));
    }

    [Fact]
    public void UnevenMaxPoolPredictMatchesTheEagerForwardBeforeAndAfterTraining()
    {
        var model = new UnevenMaxPool(5);
        using UnevenMaxPool.Program program = model.Compile(Device.Cpu, maxBatch: Batch);
        CheckAgainstEager(model.Parameters, UnevenMaxPool.Inputs, UnevenMaxPool.Classes, [UnevenMaxPool.Channels, UnevenMaxPool.Height, UnevenMaxPool.Width],
            x => model.Forward(x), (x, y) => program.Predict(x, y), (x, labels) => program.TrainStep(x, labels));
    }

    private static void CheckAgainstEager(
        ParameterStore parameters, int inputs, int classes, int[] shape, Func<Tensor, Tensor> eager, Action<float[], float[]> predict, Action<float[], int[]> trainStep)
    {
        for (int round = 0; round < 2; round++)
        {
            float[] x = Inputs(10 + round, Batch * inputs);
            var predicted = new float[Batch * classes];
            predict(x, predicted);
            for (int b = 0; b < Batch; b++)
            {
                double[] expected = eager(Tensor.FromFloats(x.AsSpan(b * inputs, inputs), shape)).Data.ToArray();
                for (int k = 0; k < classes; k++)
                    Assert.True(Math.Abs(expected[k] - predicted[b * classes + k]) < 1e-5, $"round {round}, example {b}, class {k}: eager {expected[k]}, compiled {predicted[b * classes + k]}");
            }
            float[] before = parameters.Values.ToArray();
            trainStep(Inputs(20 + round, Batch * inputs), Enumerable.Range(0, Batch).Select(i => i % classes).ToArray());
            Assert.NotEqual(before, parameters.Values.ToArray());
        }
    }

    private static float[] Inputs(int seed, int count)
    {
        var random = new Random(600 + seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
    }
}
