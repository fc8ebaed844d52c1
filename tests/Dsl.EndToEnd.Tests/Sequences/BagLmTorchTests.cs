using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Dsl.EndToEnd.Tests.Torch;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.Sequences;

/// <summary>
/// <see cref="BagLm"/> against PyTorch: the weights written as safetensors by this project are
/// loaded by <c>bench/torch/baglm_crosscheck.py</c> into the same model in torch.nn, and the loss
/// and gradients of a fixed batch must agree to 1e-4 relative (against torch in float64). Needs
/// Debian's python3 with torch; skipped, saying so, where it is missing.
/// </summary>
public class BagLmTorchTests(ITestOutputHelper output)
{
    [TorchFact]
    public void LossAndGradientsMatchPyTorch()
    {
        var model = new BagLm(seed: 11);
        using BagLm.Program program = model.Compile(Device.Cpu, maxBatch: 4);
        (int[] ids, int[] next) = TokenBatches.Random(batch: 4, BagLm.Context, BagLm.Vocab, seed: 12);
        var gradients = new float[BagLm.ParameterCount];
        float loss = program.ValueAndGrad(ids, next, gradients);
        double worst = TorchCrossCheck.MaxRelativeError("baglm_crosscheck.py", model.Parameters, ids, next, BagLm.Context, loss, gradients, output);
        Assert.True(worst <= 1e-4, $"BagLm differs from PyTorch by {worst:E2} relative");
    }
}
