using Dsl;
using static Dsl.Ops;

namespace Dsl.Benchmarks.Models;

/// <summary>A pre-LN block of <see cref="Gpt2x128"/>: causal attention with dropout on its weights, a 4x GELU feed-forward, dropout on both branches.</summary>
[Module]
public partial class GptBlock
{
    [LayerNorm] private partial Tensor Norm1(Tensor x);
    [MultiHeadAttention(Heads = 4, Causal = true, Dropout = 0.1f)] private partial Tensor Attention(Tensor x);
    [LayerNorm] private partial Tensor Norm2(Tensor x);
    [Dense(4 * Gpt2x128.Width)] private partial Tensor Up(Tensor x);
    [Dense(Gpt2x128.Width)] private partial Tensor Down(Tensor x);
    [Dropout(0.1f)] private partial Tensor Drop(Tensor x);

    [Forward]
    public Tensor Forward(Tensor x)
    {
        x = x + Drop(Attention(Norm1(x)));
        return x + Drop(Down(Gelu(Up(Norm2(x)))));
    }
}

/// <summary>
/// Issue 7's GPT: vocabulary 256, width 128, 4 heads, 2 layers, context 64, dropout 0.1 (also
/// inside attention), an untied head without bias, AdamW with clipping at 1. The same model as
/// bench/compare.py's PyTorch side.
/// </summary>
[Model]
public partial class Gpt2x128
{
    public const int Vocab = 256, Context = 64, Width = 128;

    [Embedding(Vocab, Width)] private partial Tensor TokenEmbedding(Tokens ids);
    [Embedding(Context, Width)] private partial Tensor PositionEmbedding(Tokens positions);
    [Repeat(2)] private partial GptBlock[] Blocks { get; }
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
