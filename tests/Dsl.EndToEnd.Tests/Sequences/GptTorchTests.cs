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
/// <see cref="TinyGpt"/> against PyTorch: the weights written as safetensors by this project are
/// loaded by <c>bench/torch/gpt_crosscheck.py</c> into the same GPT in torch.nn
/// (nn.MultiheadAttention under a causal mask), and the loss and gradients of a fixed batch must
/// agree to 1e-4 relative (against torch in float64). Needs Debian's python3 with torch; skipped,
/// saying so, where it is missing.
/// </summary>
/// <remarks>Holds only <see cref="TorchFactAttribute"/> tests: <c>.ci/run</c> counts the tests of
/// classes named *TorchTests as the PyTorch tests that ran.</remarks>
public class GptTorchTests(ITestOutputHelper output)
{
    [TorchFact]
    public void LossAndGradientsMatchPyTorch()
    {
        var model = new TinyGpt(seed: 11);
        using TinyGpt.Program program = model.Compile(Device.Cpu, maxBatch: 4);
        (int[] ids, int[] next) = TokenBatches.Random(batch: 4, TinyGpt.Context, TinyGpt.Vocab, seed: 12);
        var gradients = new float[TinyGpt.ParameterCount];
        float loss = program.ValueAndGrad(ids, next, gradients);
        double worst = TorchCrossCheck.MaxRelativeError("gpt_crosscheck.py", model.Parameters, ids, next, TinyGpt.Context, loss, gradients, output,
            metadata: new Dictionary<string, string> { ["heads"] = TinyGpt.Heads.ToString(CultureInfo.InvariantCulture) });
        Assert.True(worst <= 1e-4, $"TinyGpt differs from PyTorch by {worst:E2} relative");
    }
}
