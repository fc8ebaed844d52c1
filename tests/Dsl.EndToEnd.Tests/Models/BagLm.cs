using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// A byte-level language model without attention: token and learned positional embeddings, a
/// LayerNorm, a GELU feed-forward and a language-model head over every position of a [32, 64]
/// sequence, trained with a cross-entropy averaged over the positions. The first slice of the
/// seed's GPT (DESIGN.md §2.2).
/// </summary>
[Model]
public partial class BagLm
{
    public const int Vocab = 256, Context = 32, Width = 64;

    [Embedding(Vocab, Width)] private partial Tensor TokenEmbedding(Tokens ids);
    [Embedding(Context, Width)] private partial Tensor PositionEmbedding(Tokens positions);
    [LayerNorm] private partial Tensor Norm(Tensor x);
    [Dense(128)] private partial Tensor Up(Tensor x);
    [Dense(Vocab)] private partial Tensor Head(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Context)] Tokens ids)
    {
        var x = TokenEmbedding(ids) + PositionEmbedding(Arange(Context));
        return Head(Gelu(Up(Norm(x))));
    }

    [TrainingStep]
    public Tensor TrainingStep(Tokens ids, Tokens next) => CrossEntropy(Forward(ids), next);

    [ValidationStep]
    public void ValidationStep(Tokens ids, Tokens next) => Log("val_acc", Accuracy(Forward(ids), next));

    [Optimizer]
    private static Optimizer Optimizer() => new AdamW(3e-4f) { ClipGradNorm = 1f };
}
