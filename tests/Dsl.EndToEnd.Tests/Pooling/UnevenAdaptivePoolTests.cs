using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.Pooling;

/// <summary>
/// AdaptiveAvgPool2d with outputs that do not divide the image (UnevenPool): the eager reference is
/// PyTorch's windows, start ⌊i·H/oh⌋ and end ⌈(i+1)·H/oh⌉ computed here in floating point, and the
/// compiled program (one direct adaptive pooling op each way) matches the eager forward, before and after training
/// steps. The ONNX export of the model is in Onnx/OnnxExportTests.
/// </summary>
public class UnevenAdaptivePoolTests
{
    private const int Batch = 3;

    [Theory]
    [InlineData(3, 4)]
    [InlineData(4, 7)]
    [InlineData(5, 3)]
    public void TheEagerPoolAveragesPyTorchsWindows(int outputHeight, int outputWidth)
    {
        float[] x = Inputs(1, 1);
        double[] pooled = EagerLayers.AdaptiveAvgPool2d(Tensor.FromFloats(x, UnevenPool.Channels, UnevenPool.Height, UnevenPool.Width), outputHeight, outputWidth).Data.ToArray();
        for (int c = 0; c < UnevenPool.Channels; c++)
            for (int i = 0; i < outputHeight; i++)
                for (int j = 0; j < outputWidth; j++)
                {
                    // torch/aten/src/ATen/native/AdaptiveAveragePooling.cpp: start_index and end_index.
                    int top = (int)Math.Floor(i * (double)UnevenPool.Height / outputHeight), bottom = (int)Math.Ceiling((i + 1) * (double)UnevenPool.Height / outputHeight);
                    int left = (int)Math.Floor(j * (double)UnevenPool.Width / outputWidth), right = (int)Math.Ceiling((j + 1) * (double)UnevenPool.Width / outputWidth);
                    double sum = 0;
                    for (int row = top; row < bottom; row++)
                        for (int col = left; col < right; col++)
                            sum += x[(c * UnevenPool.Height + row) * UnevenPool.Width + col];
                    double expected = sum / ((bottom - top) * (right - left));
                    Assert.Equal(expected, pooled[(c * outputHeight + i) * outputWidth + j], 12);
                }
    }

    [Fact]
    public void PredictMatchesTheEagerForwardBeforeAndAfterTraining()
    {
        var model = new UnevenPool(5);
        using UnevenPool.Program program = model.Compile(Device.Cpu, maxBatch: Batch);
        for (int round = 0; round < 2; round++)
        {
            float[] x = Inputs(10 + round, Batch);
            var predicted = new float[Batch * UnevenPool.Classes];
            program.Predict(x, predicted);
            for (int b = 0; b < Batch; b++)
            {
                double[] eager = model.Forward(Tensor.FromFloats(x.AsSpan(b * UnevenPool.Inputs, UnevenPool.Inputs), UnevenPool.Channels, UnevenPool.Height, UnevenPool.Width)).Data.ToArray();
                for (int k = 0; k < UnevenPool.Classes; k++)
                    Assert.True(Math.Abs(eager[k] - predicted[b * UnevenPool.Classes + k]) < 1e-5, $"round {round}, example {b}, class {k}: eager {eager[k]}, compiled {predicted[b * UnevenPool.Classes + k]}");
            }
            float[] before = model.Parameters.Values.ToArray();
            program.TrainStep(Inputs(20 + round, Batch), Enumerable.Range(0, Batch).Select(i => i % UnevenPool.Classes).ToArray());
            Assert.NotEqual(before, model.Parameters.Values.ToArray());
        }
    }

    private static float[] Inputs(int seed, int batch)
    {
        var random = new Random(500 + seed);
        return Enumerable.Range(0, batch * UnevenPool.Inputs).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
    }
}
