using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using Cnn;
using Dsl.EndToEnd.Tests.Models;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.Torch;

/// <summary>
/// The convolutional networks against PyTorch 1.13: the weights written as safetensors by this
/// project (biases included, as initialised) are loaded by <c>bench/torch/cnn_crosscheck.py</c>
/// into the same models in torch.nn (nn.Conv2d, nn.Conv1d, nn.BatchNorm2d/1d, F.max_pool2d,
/// F.avg_pool2d), and the loss and gradients of a fixed batch must agree to 1e-4 relative (against
/// torch in float64). With BatchNorm, that is training mode; then the compiled program takes 5 Adam
/// steps, and torch's running statistics after the same steps, and its eval-mode logits, must agree too.
/// </summary>
public class CnnTorchTests(ITestOutputHelper output)
{
    private const int Steps = 5;

    [TorchFact]
    public void TheSampleCnnMatchesPyTorchInTrainingAndEvalMode()
    {
        const int batch = 6;
        var model = new CnnClassifier(3);
        using CnnClassifier.Program program = model.Compile(Device.Cpu, maxBatch: batch);
        CheckWithBatchNorm(nameof(CnnClassifier), model.Parameters, [batch, 1, 8, 8], 10, 2e-3f, (x, labels, gradients) => program.ValueAndGrad(x, labels, gradients),
            (x, labels) => program.TrainStep(x, labels), (x, logits) => program.Predict(x, logits));
    }

    [TorchFact]
    public void TinyBatchNormMatchesPyTorchInTrainingAndEvalMode()
    {
        const int batch = 5;
        var model = new TinyBatchNorm(7);
        using TinyBatchNorm.Program program = model.Compile(Device.Cpu, maxBatch: batch);
        CheckWithBatchNorm(nameof(TinyBatchNorm), model.Parameters, [batch, TinyBatchNorm.Channels, TinyBatchNorm.Height, TinyBatchNorm.Width], TinyBatchNorm.Classes, 1e-2f,
            (x, labels, gradients) => program.ValueAndGrad(x, labels, gradients), (x, labels) => program.TrainStep(x, labels), (x, logits) => program.Predict(x, logits));
    }

    [TorchFact]
    public void TinyCnnMatchesPyTorch()
    {
        var model = new TinyCnn(5);
        using TinyCnn.Program program = model.Compile(Device.Cpu, maxBatch: 5);
        Check(nameof(TinyCnn), model.Parameters, [5, TinyCnn.Channels, TinyCnn.Height, TinyCnn.Width], TinyCnn.Classes,
            (x, labels, gradients) => program.ValueAndGrad(x, labels, gradients));
    }

    /// <summary>Groups (two, and depthwise), non-square kernels, strides, padding and dilation, and adaptive pooling against torch.</summary>
    [TorchFact]
    public void GroupedCnnMatchesPyTorch()
    {
        var model = new GroupedCnn(5);
        using GroupedCnn.Program program = model.Compile(Device.Cpu, maxBatch: 5);
        Check(nameof(GroupedCnn), model.Parameters, [5, GroupedCnn.Channels, GroupedCnn.Height, GroupedCnn.Width], GroupedCnn.Classes,
            (x, labels, gradients) => program.ValueAndGrad(x, labels, gradients));
    }

    /// <summary>BatchNorm's momentum, eps, affine = False and track_running_stats = False (the batch's statistics in eval mode too) against torch.</summary>
    [TorchFact]
    public void BatchNormOptionsMatchesPyTorchInTrainingAndEvalMode()
    {
        const int batch = 5;
        var model = new BatchNormOptions(7);
        using BatchNormOptions.Program program = model.Compile(Device.Cpu, maxBatch: batch);
        CheckWithBatchNorm(nameof(BatchNormOptions), model.Parameters, [batch, BatchNormOptions.Channels, BatchNormOptions.Height, BatchNormOptions.Width], BatchNormOptions.Classes, 1e-2f,
            (x, labels, gradients) => program.ValueAndGrad(x, labels, gradients), (x, labels) => program.TrainStep(x, labels), (x, logits) => program.Predict(x, logits));
    }

    /// <summary>BatchNorm's momentum=None (the cumulative average of the batch statistics) against torch, over an image and over rows.</summary>
    [TorchFact]
    public void CumulativeBatchNormMatchesPyTorchInTrainingAndEvalMode()
    {
        const int batch = 5;
        var model = new CumulativeBatchNorm(11);
        using CumulativeBatchNorm.Program program = model.Compile(Device.Cpu, maxBatch: batch);
        CheckWithBatchNorm(nameof(CumulativeBatchNorm), model.Parameters, [batch, CumulativeBatchNorm.Channels, CumulativeBatchNorm.Height, CumulativeBatchNorm.Width], CumulativeBatchNorm.Classes, 1e-2f,
            (x, labels, gradients) => program.ValueAndGrad(x, labels, gradients), (x, labels) => program.TrainStep(x, labels), (x, logits) => program.Predict(x, logits));
    }

    /// <summary>Adaptive average pooling with uneven, overlapping windows (F.adaptive_avg_pool2d) against torch.</summary>
    [TorchFact]
    public void UnevenPoolMatchesPyTorch()
    {
        var model = new UnevenPool(5);
        using UnevenPool.Program program = model.Compile(Device.Cpu, maxBatch: 5);
        Check(nameof(UnevenPool), model.Parameters, [5, UnevenPool.Channels, UnevenPool.Height, UnevenPool.Width], UnevenPool.Classes,
            (x, labels, gradients) => program.ValueAndGrad(x, labels, gradients));
    }

    /// <summary>MaxPool1d (strided, padded, dilated), AvgPool1d and adaptive 1-D pooling over uneven windows against torch (issue 19).</summary>
    [TorchFact]
    public void SequencePoolMatchesPyTorch()
    {
        var model = new SequencePool(5);
        using SequencePool.Program program = model.Compile(Device.Cpu, maxBatch: 5);
        Check(nameof(SequencePool), model.Parameters, [5, SequencePool.Channels, SequencePool.Length], SequencePool.Classes,
            (x, labels, gradients) => program.ValueAndGrad(x, labels, gradients));
    }

    /// <summary>AdaptiveMaxPool2d over uneven windows, more outputs than pixels, global and divided (F.adaptive_max_pool2d) against torch (issue 19).</summary>
    [TorchFact]
    public void UnevenMaxPoolMatchesPyTorch()
    {
        var model = new UnevenMaxPool(5);
        using UnevenMaxPool.Program program = model.Compile(Device.Cpu, maxBatch: 5);
        Check(nameof(UnevenMaxPool), model.Parameters, [5, UnevenMaxPool.Channels, UnevenMaxPool.Height, UnevenMaxPool.Width], UnevenMaxPool.Classes,
            (x, labels, gradients) => program.ValueAndGrad(x, labels, gradients));
    }

    private void Check(string name, ParameterStore parameters, int[] shape, int classes, Func<float[], int[], float[], float> valueAndGrad)
    {
        var random = new Random(17);
        var (x, labels) = RandomBatch(random, shape, classes);
        var gradients = new float[parameters.TrainableCount];
        float loss = valueAndGrad(x, labels, gradients);
        double worst = TorchCrossCheck.MaxRelativeError("cnn_crosscheck.py", parameters, Tensors("", shape, x, labels), loss, gradients, output,
            new Dictionary<string, string> { ["model"] = name });
        Assert.True(worst <= 1e-4, $"{name} differs from PyTorch by {worst:E2} relative");
    }

    /// <summary>
    /// The training-mode loss and gradients at the initial parameters, then <see cref="Steps"/> Adam
    /// steps on other batches: the buffers they leave ('after/...') and the eval-mode logits of one
    /// more batch go to the script, with the initial parameters (a training step updates the buffers,
    /// so the initial store is put back before the file is written).
    /// </summary>
    private void CheckWithBatchNorm(string name, ParameterStore parameters, int[] shape, int classes, float learningRate,
        Func<float[], int[], float[], float> valueAndGrad, Action<float[], int[]> trainStep, Action<float[], float[]> predict)
    {
        var random = new Random(17);
        float[] initial = parameters.Values.ToArray();
        var tensors = new List<SafeTensor>();
        for (int step = 0; step < Steps; step++)
        {
            var (stepX, stepLabels) = RandomBatch(random, shape, classes);
            trainStep(stepX, stepLabels);
            tensors.AddRange(Tensors($"step{step}/", shape, stepX, stepLabels));
        }
        foreach (ParameterInfo info in parameters.Parameters.Where(p => !p.IsTrainable))
            tensors.Add(SafeTensor.FromFloats("after/" + info.Name, info.Shape, parameters.Values.Slice(info.Offset, info.Length)));
        var (evalX, _) = RandomBatch(random, shape, classes);
        var logits = new float[shape[0] * classes];
        predict(evalX, logits);
        tensors.Add(SafeTensor.FromFloats("eval/x", shape, evalX));
        tensors.Add(SafeTensor.FromFloats("eval/logits", [shape[0], classes], logits));

        parameters.CopyFrom(initial);
        var (x, labels) = RandomBatch(random, shape, classes);
        var gradients = new float[parameters.TrainableCount];
        float loss = valueAndGrad(x, labels, gradients);
        parameters.CopyFrom(initial);
        tensors.AddRange(Tensors("", shape, x, labels));
        double worst = TorchCrossCheck.MaxRelativeError("cnn_crosscheck.py", parameters, tensors, loss, gradients, output, new Dictionary<string, string>
        {
            ["model"] = name,
            ["steps"] = Steps.ToString(CultureInfo.InvariantCulture),
            ["learning_rate"] = learningRate.ToString("R", CultureInfo.InvariantCulture),
        });
        Assert.True(worst <= 1e-4, $"{name} differs from PyTorch by {worst:E2} relative");
    }

    private static (float[] X, int[] Labels) RandomBatch(Random random, int[] shape, int classes)
    {
        float[] x = Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        int[] labels = Enumerable.Range(0, shape[0]).Select(_ => random.Next(classes)).ToArray();
        return (x, labels);
    }

    private static SafeTensor[] Tensors(string prefix, int[] shape, float[] x, int[] labels) =>
    [
        new(prefix + "x", SafeTensorsDType.F32, shape, MemoryMarshal.AsBytes(x.AsSpan()).ToArray()),
        new(prefix + "labels", SafeTensorsDType.I32, [shape[0]], MemoryMarshal.AsBytes(labels.AsSpan()).ToArray()),
    ];
}
