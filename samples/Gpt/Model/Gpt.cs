using Dsl;
using static Dsl.Ops;

namespace Gpt;

/// <summary>
/// One pre-LN transformer block: causal multi-head self-attention and a 4x GELU feed-forward,
/// each on a LayerNorm of the residual stream and added back to it through dropout.
/// </summary>
[Module]
public partial class Block
{
    [LayerNorm] private partial Tensor Norm1(Tensor x);
    [MultiHeadAttention(Heads = Gpt.Heads, Causal = true, Dropout = 0.1f)] private partial Tensor Attention(Tensor x);
    [LayerNorm] private partial Tensor Norm2(Tensor x);
    [Dense(4 * Gpt.Width)] private partial Tensor Up(Tensor x);
    [Dense(Gpt.Width)] private partial Tensor Down(Tensor x);
    [Dropout(0.1f)] private partial Tensor Drop(Tensor x);

    [Forward]
    public Tensor Forward(Tensor x)                 // x: [Context, Width]
    {
        x = x + Drop(Attention(Norm1(x)));
        x = x + Drop(Down(Gelu(Up(Norm2(x)))));
        return x;
    }
}

/// <summary>
/// A byte-level GPT: token and learned positional embeddings, four pre-LN blocks, a final
/// LayerNorm and an untied language-model head without bias, trained with AdamW (weight decay
/// 0.1) and gradient clipping at norm 1.
/// </summary>
[Model]
public partial class Gpt
{
    /// <summary>Byte-level vocabulary, context length, width, heads and blocks.</summary>
    public const int Vocab = 256, Context = 128, Width = 128, Heads = 4, Layers = 4;

    [Embedding(Vocab, Width)] private partial Tensor TokenEmbedding(Tokens ids);
    [Embedding(Context, Width)] private partial Tensor PositionEmbedding(Tokens positions);
    [Repeat(Layers)] private partial Block[] Blocks { get; }
    [LayerNorm] private partial Tensor Norm(Tensor x);
    [Dense(Vocab, Bias = false)] private partial Tensor Head(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Context)] Tokens ids)
    {
        var x = TokenEmbedding(ids) + PositionEmbedding(Arange(Context));
        for (int i = 0; i < Layers; i++)
            x = Blocks[i].Forward(x);
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
