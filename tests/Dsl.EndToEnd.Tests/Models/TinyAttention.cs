using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// The smallest GPT-shaped model: token and learned positional embeddings, one pre-norm causal
/// self-attention block with its residual, and a language-model head over every position of an
/// [8, 16] sequence, two heads of width 8. What attention's compiled, eager, OpenCL and PyTorch
/// results are compared on.
/// </summary>
[Model]
public partial class TinyAttention
{
    public const int Vocab = 16, Context = 8, Width = 16;

    [Embedding(Vocab, Width)] private partial Tensor TokenEmbedding(Tokens ids);
    [Embedding(Context, Width)] private partial Tensor PositionEmbedding(Tokens positions);
    [LayerNorm] private partial Tensor Norm(Tensor x);
    [MultiHeadAttention(Heads = 2, Causal = true)] private partial Tensor Attention(Tensor x);
    [Dense(Vocab)] private partial Tensor Head(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Context)] Tokens ids)
    {
        var x = TokenEmbedding(ids) + PositionEmbedding(Arange(Context));
        x = x + Attention(Norm(x));
        return Head(x);
    }

    [TrainingStep]
    public Tensor TrainingStep(Tokens ids, Tokens next) => CrossEntropy(Forward(ids), next);

    [Optimizer]
    // Plain SGD, not Adam: the key part of in_proj_bias has an exactly zero gradient (a softmax
    // ignores a shift shared by a row's scores), and Adam would turn its rounding noise, which
    // differs between backends, into full-size steps that the parity tests would see.
    private static Optimizer Optimizer() => new Sgd(0.1f, momentum: 0.9f);
}
