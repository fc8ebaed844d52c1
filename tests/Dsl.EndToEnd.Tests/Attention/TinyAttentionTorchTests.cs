using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Dsl.EndToEnd.Tests.Torch;
using Dsl.EndToEnd.Tests.Sequences;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.Attention;

/// <summary>
/// <see cref="TinyAttention"/> against PyTorch: the weights written as safetensors by this project
/// (its zero biases made random first) are loaded by <c>bench/torch/tinyattention_crosscheck.py</c>
/// into the same model in torch.nn, with torch.nn.MultiheadAttention(batch_first=True) and the mask
/// triu(ones(T, T), 1), and the loss and gradients of a fixed batch must agree to 1e-4 relative
/// (against torch in float64). Needs Debian's python3 with torch; skipped, saying so, where it is missing.
/// </summary>
public class TinyAttentionTorchTests(ITestOutputHelper output)
{
    [TorchFact]
    public void LossAndGradientsMatchPyTorch()
    {
        TinyAttention model = TinyAttentionTests.Model(11);
        using TinyAttention.Program program = model.Compile(Device.Cpu, maxBatch: 4);
        (int[] ids, int[] next) = TokenBatches.Random(batch: 4, TinyAttention.Context, TinyAttention.Vocab, seed: 12);
        var gradients = new float[TinyAttention.ParameterCount];
        float loss = program.ValueAndGrad(ids, next, gradients);
        double worst = TorchCrossCheck.MaxRelativeError("tinyattention_crosscheck.py", model.Parameters, ids, next, TinyAttention.Context, loss, gradients, output);
        Assert.True(worst <= 1e-4, $"TinyAttention differs from PyTorch by {worst:E2} relative");
    }
}
