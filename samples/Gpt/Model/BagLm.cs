using Dsl;
using static Dsl.Ops;

namespace Gpt;

/// <summary>
/// The sample's stand-in until <c>[MultiHeadAttention]</c>, <c>[Module]</c> and <c>[Repeat]</c>
/// reach the generator: the GPT of <c>Model/Gpt.cs.pending</c> without its attention, so each
/// position sees only its own byte and place (a bigram model with positions, which cannot beat
/// the corpus's bigram figure of 3.26 bits per byte). One pre-LN feed-forward block with dropout,
/// a final LayerNorm and an untied head without bias, under the GPT's parameter names where they
/// exist (<c>token_embedding</c>, <c>position_embedding</c>, <c>norm</c>, <c>head</c>).
/// </summary>
[Model]
public partial class BagLm
{
    /// <summary>Byte-level vocabulary, context length and width, as the GPT's.</summary>
    public const int Vocab = 256, Context = 128, Width = 128;

    [Embedding(Vocab, Width)] private partial Tensor TokenEmbedding(Tokens ids);
    [Embedding(Context, Width)] private partial Tensor PositionEmbedding(Tokens positions);
    [LayerNorm] private partial Tensor Norm1(Tensor x);
    [Dense(4 * Width)] private partial Tensor Up(Tensor x);
    [Dense(Width)] private partial Tensor Down(Tensor x);
    [Dropout(0.1f)] private partial Tensor Drop(Tensor x);
    [LayerNorm] private partial Tensor Norm(Tensor x);
    [Dense(Vocab, Bias = false)] private partial Tensor Head(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Context)] Tokens ids)
    {
        var x = TokenEmbedding(ids) + PositionEmbedding(Arange(Context));
        x = x + Drop(Down(Gelu(Up(Norm1(x)))));
        return Head(Norm(x));
    }

    [TrainingStep]
    public Tensor TrainingStep(Tokens ids, Tokens next)
    {
        var loss = CrossEntropy(Forward(ids), next);
        Log("train_loss", loss);
        return loss;
    }

    [ValidationStep]
    public void ValidationStep(Tokens ids, Tokens next) => Log("val_loss", CrossEntropy(Forward(ids), next));

    [Optimizer]
    private static Optimizer Optimizer() =>
        new AdamW(learningRate: SampleModel.LearningRate, weightDecay: 0.1f) { ClipGradNorm = 1f };
}
