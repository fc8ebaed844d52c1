using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>A pre-LN transformer block of <see cref="TinyGpt"/>: causal attention and a 4x GELU feed-forward on the residual stream.</summary>
[Module]
public partial class TinyBlock
{
    [LayerNorm] private partial Tensor Norm1(Tensor x);
    [MultiHeadAttention(Heads = TinyGpt.Heads, Causal = true)] private partial Tensor Attention(Tensor x);
    [LayerNorm] private partial Tensor Norm2(Tensor x);
    [Dense(4 * TinyGpt.Width)] private partial Tensor Up(Tensor x);
    [Dense(TinyGpt.Width)] private partial Tensor Down(Tensor x);

    [Forward]
    public Tensor Forward(Tensor x)
    {
        x = x + Attention(Norm1(x));
        x = x + Down(Gelu(Up(Norm2(x))));
        return x;
    }
}

/// <summary>The sample's GPT (samples/Gpt/Model/Gpt.cs.pending) at a test's size, dropout-free, for the PyTorch cross-check.</summary>
[Model]
public partial class TinyGpt
{
    public const int Vocab = 256, Context = 16, Width = 32, Heads = 4, Layers = 2;

    [Embedding(Vocab, Width)] private partial Tensor TokenEmbedding(Tokens ids);
    [Embedding(Context, Width)] private partial Tensor PositionEmbedding(Tokens positions);
    [Repeat(Layers)] private partial TinyBlock[] Blocks { get; }
    [LayerNorm] private partial Tensor Norm(Tensor x);
    [Dense(Vocab, Bias = false)] private partial Tensor Head(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Context)] Tokens ids)
    {
        var x = TokenEmbedding(ids) + PositionEmbedding(Arange(Context));
        foreach (var block in Blocks)
            x = block.Forward(x);
        return Head(Norm(x));
    }

    [TrainingStep]
    public Tensor TrainingStep(Tokens ids, Tokens next) => CrossEntropy(Forward(ids), next);

    [Optimizer]
    private static Optimizer Optimizer() => new AdamW(3e-4f, weightDecay: 0.1f) { ClipGradNorm = 1f };
}
