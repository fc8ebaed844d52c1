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
public class GptTorchTests(ITestOutputHelper output)
{
    [Fact]
    public void ParametersHaveThePyTorchStateDictNamesAndShapes()
    {
        var model = new TinyGpt(seed: 1);
        var expected = new List<(string, int[])>
        {
            ("token_embedding.weight", [TinyGpt.Vocab, TinyGpt.Width]),
            ("position_embedding.weight", [TinyGpt.Context, TinyGpt.Width]),
        };
        const int d = TinyGpt.Width;
        for (int i = 0; i < TinyGpt.Layers; i++)
        {
            string p = $"blocks.{i}.";
            expected.AddRange(new (string, int[])[]
            {
                (p + "norm1.weight", [d]), (p + "norm1.bias", [d]),
                (p + "attention.in_proj_weight", [3 * d, d]), (p + "attention.in_proj_bias", [3 * d]),
                (p + "attention.out_proj.weight", [d, d]), (p + "attention.out_proj.bias", [d]),
                (p + "norm2.weight", [d]), (p + "norm2.bias", [d]),
                (p + "up.weight", [4 * d, d]), (p + "up.bias", [4 * d]),
                (p + "down.weight", [d, 4 * d]), (p + "down.bias", [d]),
            });
        }
        expected.AddRange(new (string, int[])[] { ("norm.weight", [d]), ("norm.bias", [d]), ("head.weight", [TinyGpt.Vocab, d]) });
        Assert.Equal(expected.Select(e => e.Item1), model.Parameters.Parameters.Select(i => i.Name));
        foreach (var (info, (name, shape)) in model.Parameters.Parameters.Zip(expected))
            Assert.True(shape.SequenceEqual(info.Shape), $"{name} is [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", shape)}]");
    }

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
