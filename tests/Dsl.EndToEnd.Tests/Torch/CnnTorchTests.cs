using System;
using System.Collections.Generic;
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
/// into the same models in torch.nn (nn.Conv2d, nn.Conv1d, F.max_pool2d, F.avg_pool2d), and the
/// loss and gradients of a fixed batch must agree to 1e-4 relative (against torch in float64).
/// </summary>
public class CnnTorchTests(ITestOutputHelper output)
{
    /// <summary>
    /// The sample drops 30 % of its flattened features in training with Philox draws torch cannot
    /// make, so the script is handed the step's mask (the runtime's DropoutKernels.Apply of ones at
    /// the program's seed, site 0, step 0: x·mask is the layer's output) and multiplies by it where
    /// nn.Dropout would be; a wrong mask would show as a different loss.
    /// </summary>
    [TorchFact]
    public void TheSampleCnnMatchesPyTorch()
    {
        const int batch = 6, features = 32 * 4 * 4;
        var model = new CnnClassifier(3);
        using CnnClassifier.Program program = model.Compile(Device.Cpu, maxBatch: batch);
        var mask = new float[batch * features];
        Dsl.Kernels.DropoutKernels.Apply(Enumerable.Repeat(1f, mask.Length).ToArray(), mask, mask.Length, unchecked((uint)program.DropoutSeed), site: 0, step: 0, start: 0, p: 0.3f);
        Check(nameof(CnnClassifier), model.Parameters, [batch, 1, 8, 8], 10, (x, labels, gradients) => program.ValueAndGrad(x, labels, gradients),
            new SafeTensor("mask", SafeTensorsDType.F32, [batch, features], MemoryMarshal.AsBytes(mask.AsSpan()).ToArray()));
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

    private void Check(string name, ParameterStore parameters, int[] shape, int classes, Func<float[], int[], float[], float> valueAndGrad, params SafeTensor[] more)
    {
        var random = new Random(17);
        float[] x = Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        int[] labels = Enumerable.Range(0, shape[0]).Select(_ => random.Next(classes)).ToArray();
        var gradients = new float[parameters.Count];
        float loss = valueAndGrad(x, labels, gradients);
        var inputs = new List<SafeTensor>
        {
            new("x", SafeTensorsDType.F32, shape, MemoryMarshal.AsBytes(x.AsSpan()).ToArray()),
            new("labels", SafeTensorsDType.I32, [shape[0]], MemoryMarshal.AsBytes(labels.AsSpan()).ToArray()),
        };
        inputs.AddRange(more);
        double worst = TorchCrossCheck.MaxRelativeError("cnn_crosscheck.py", parameters, inputs, loss, gradients, output,
            new Dictionary<string, string> { ["model"] = name });
        Assert.True(worst <= 1e-4, $"{name} differs from PyTorch by {worst:E2} relative");
    }
}
