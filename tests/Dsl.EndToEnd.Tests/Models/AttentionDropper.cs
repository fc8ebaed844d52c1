using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// Attention without a mask and with dropout on its weights: four heads of width 4 over a [6, 16]
/// sequence, the other paths of <see cref="MultiHeadAttentionAttribute"/> than <see cref="TinyAttention"/>'s.
/// </summary>
[Model]
public partial class AttentionDropper
{
    public const int Vocab = 12, Context = 6, Width = 16;

    [Embedding(Vocab, Width)] private partial Tensor TokenEmbedding(Tokens ids);
    [MultiHeadAttention(Heads = 4, Dropout = 0.25f)] private partial Tensor Attention(Tensor x);
    [Dense(Vocab)] private partial Tensor Head(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Context)] Tokens ids)
    {
        var x = TokenEmbedding(ids);
        return Head(x + Attention(x));
    }

    [TrainingStep]
    public Tensor TrainingStep(Tokens ids, Tokens next) => CrossEntropy(Forward(ids), next);

    [Optimizer]
    // Plain SGD, not Adam: the key part of in_proj_bias has an exactly zero gradient (a softmax
    // ignores a shift shared by a row's scores), and Adam would turn its rounding noise, which
    // differs between backends, into full-size steps that the parity tests would see.
    private static Optimizer Optimizer() => new Sgd(0.1f, momentum: 0.9f);
}
