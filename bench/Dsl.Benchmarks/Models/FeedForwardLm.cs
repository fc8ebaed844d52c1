using Dsl;
using static Dsl.Ops;

namespace Dsl.Benchmarks.Models;

/// <summary>
/// The GPT train step of issue 7 without attention: byte tokens over a context of 64, width 128,
/// token and positional embeddings, then a pre-norm GELU feed-forward block with a residual,
/// dropout 0.1 at three sites (embeddings, hidden, block output), a final LayerNorm and the head;
/// AdamW. The dropout, bias, GELU and LayerNorm work the transformer's blocks do around their GEMMs.
/// </summary>
[Model]
public partial class FeedForwardLm
{
    public const int Vocab = 256, Context = 64, Width = 128;

    [Embedding(Vocab, Width)] private partial Tensor TokenEmbedding(Tokens ids);
    [Embedding(Context, Width)] private partial Tensor PositionEmbedding(Tokens positions);
    [LayerNorm] private partial Tensor Norm(Tensor x);
    [LayerNorm] private partial Tensor FinalNorm(Tensor x);
    [Dense(4 * Width)] private partial Tensor Up(Tensor x);
    [Dense(Width)] private partial Tensor Down(Tensor x);
    [Dense(Vocab)] private partial Tensor Head(Tensor x);
    [Dropout(0.1f)] private partial Tensor Drop(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Context)] Tokens ids)
    {
        var x = Drop(TokenEmbedding(ids) + PositionEmbedding(Arange(Context)));
        x = x + Drop(Down(Drop(Gelu(Up(Norm(x))))));
        return Head(FinalNorm(x));
    }

    [TrainingStep]
    public Tensor TrainingStep(Tokens ids, Tokens next) => CrossEntropy(Forward(ids), next);

    [Optimizer]
    private static Optimizer Optimizer() => new AdamW(3e-4f);
}
