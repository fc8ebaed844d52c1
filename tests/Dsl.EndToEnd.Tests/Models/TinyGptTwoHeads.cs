#pragma warning disable DSL0226 // Aux gets no gradient from this training step: it is there to show that it changes nothing.
using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary><see cref="TinyBlock"/> again, so that this file compiles on its own (the generator's tests read each model file alone).</summary>
[Module]
public partial class TinyTwoHeadsBlock
{
    [LayerNorm] private partial Tensor Norm1(Tensor x);
    [MultiHeadAttention(Heads = TinyGptTwoHeads.Heads, Causal = true)] private partial Tensor Attention(Tensor x);
    [LayerNorm] private partial Tensor Norm2(Tensor x);
    [Dense(4 * TinyGptTwoHeads.Width)] private partial Tensor Up(Tensor x);
    [Dense(TinyGptTwoHeads.Width)] private partial Tensor Down(Tensor x);

    [Forward]
    public Tensor Forward(Tensor x)
    {
        x = x + Attention(Norm1(x));
        x = x + Down(Gelu(Up(Norm2(x))));
        return x;
    }
}

/// <summary>
/// <see cref="TinyGpt"/> rewritten as issue 22 asks of samples/Gpt: its blocks run by a
/// constant-bounded <c>for</c>, and a second head, <c>Aux</c>, one value per position, returned
/// beside the logits. The training step deconstructs the pair and trains on the logits alone, so
/// it is <see cref="TinyGpt"/>'s step (Aux is declared last: the other parameters start equal).
/// </summary>
[Model]
public partial class TinyGptTwoHeads
{
    public const int Vocab = 256, Context = 16, Width = 32, Heads = 4, Layers = 2;

    [Embedding(Vocab, Width)] private partial Tensor TokenEmbedding(Tokens ids);
    [Embedding(Context, Width)] private partial Tensor PositionEmbedding(Tokens positions);
    [Repeat(Layers)] private partial TinyTwoHeadsBlock[] Blocks { get; }
    [LayerNorm] private partial Tensor Norm(Tensor x);
    [Dense(Vocab, Bias = false)] private partial Tensor Head(Tensor x);
    [Dense(1)] private partial Tensor Aux(Tensor x);

    [Forward]
    public (Tensor logits, Tensor aux) Forward([Shape(Context)] Tokens ids)
    {
        var x = TokenEmbedding(ids) + PositionEmbedding(Arange(Context));
        for (int i = 0; i < Layers; i++)
            x = Blocks[i].Forward(x);
        var h = Norm(x);
        return (Head(h), Aux(h));
    }

    [TrainingStep]
    public Tensor TrainingStep(Tokens ids, Tokens next)
    {
        var (logits, _) = Forward(ids);
        return CrossEntropy(logits, next);
    }

    [Optimizer]
    private static Optimizer Optimizer() => new AdamW(3e-4f, weightDecay: 0.1f) { ClipGradNorm = 1f };
}
