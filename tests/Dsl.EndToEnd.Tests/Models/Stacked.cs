using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>A residual feed-forward block over a sequence [T, d], with dropout: a transformer block without attention.</summary>
[Module]
public partial class FeedForwardBlock
{
    [LayerNorm] private partial Tensor Norm(Tensor x);
    [Dense(12)] private partial Tensor Up(Tensor x);
    [Dense(Stacked.Width)] private partial Tensor Down(Tensor x);
    [Dropout(0.1f)] private partial Tensor Drop(Tensor x);

    [Forward]
    public Tensor Forward(Tensor x) => x + Drop(Down(Gelu(Up(Norm(x)))));
}

/// <summary>
/// A per-position tagger of float sequences with a <c>[Repeat(2)]</c> stack of blocks, unrolled at
/// compile time: parameters <c>blocks.0.norm.weight</c> .. <c>blocks.1.down.bias</c>, and a dropout
/// site per block in the training step.
/// </summary>
[Model]
public partial class Stacked
{
    public const int Length = 6, Features = 5, Width = 8, Tags = 4;

    [Dense(Width)] private partial Tensor In(Tensor x);
    [Repeat(2)] private partial FeedForwardBlock[] Blocks { get; }
    [Dense(Tags)] private partial Tensor Head(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Length, Features)] Tensor x)
    {
        var h = In(x);
        foreach (var block in Blocks)
            h = block.Forward(h);
        return Head(h);
    }

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Tokens tags)
    {
        var loss = CrossEntropy(Forward(x), tags);
        Log("train_loss", loss);
        return loss;
    }

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 1e-2f);
}
