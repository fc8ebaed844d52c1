using System.Collections.Generic;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Xunit;

namespace Dsl.EndToEnd.Tests.Sequences;

/// <summary><see cref="TinyGpt"/>'s parameters carry the names and shapes of the torch.nn GPT that <see cref="GptTorchTests"/> loads them into.</summary>
public class GptParameterNameTests
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
}
