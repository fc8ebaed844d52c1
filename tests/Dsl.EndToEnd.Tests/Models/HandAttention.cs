using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// Causal self-attention written by hand from the general tensor ops, as a PyTorch user writes it
/// without nn.MultiheadAttention: one fused QKV projection cut with Split, heads made with Reshape
/// and Transpose, scores = q·kᵀ / √d with MatMul, the causal mask applied with Where and
/// CausalMask, the heads merged back, a residual, a layer norm spelled out with Mean and the biased
/// Variance over the last axis (keepdim), and a head over the normalised and raw rows joined with
/// Concat. Every op of <c>Dsl.Ops</c>' tensor section in one model.
/// </summary>
[Model]
public partial class HandAttention
{
    public const int Vocab = 16, Context = 6, Width = 8, Heads = 2, HeadWidth = Width / Heads;

    /// <summary>1 / √HeadWidth, the scores' scale.</summary>
    private const float Scale = 0.5f;

    [Embedding(Vocab, Width)] private partial Tensor TokenEmbedding(Tokens ids);
    [Embedding(Context, Width)] private partial Tensor PositionEmbedding(Tokens positions);
    [Dense(3 * Width)] private partial Tensor Qkv(Tensor x);
    [Dense(Vocab)] private partial Tensor Head(Tensor x);

    /// <summary>[T, d] → [H, T, d/H]: each head's slice of every position.</summary>
    private Tensor SplitHeads(Tensor x) => Transpose(Reshape(x, Context, Heads, -1), 0, 1);

    [Forward]
    public Tensor Forward([Shape(Context)] Tokens ids)
    {
        var x = TokenEmbedding(ids) + PositionEmbedding(Arange(Context));
        var qkv = Split(Qkv(x), Width, -1);
        var q = SplitHeads(qkv[0]);
        var k = SplitHeads(qkv[1]);
        var v = SplitHeads(qkv[2]);
        var scores = MatMul(q, Transpose(k)) * Scale;                  // [H, T, T]
        var weights = Softmax(Where(CausalMask(Context), scores, -1e9f));
        var attended = Reshape(Transpose(MatMul(weights, v), 0, 1), Context, Width);
        var h = x + attended;
        var centred = h - Mean(h, -1, true);
        var normalised = centred * Exp(-0.5f * Log(Variance(h, -1, false, true) + 1e-5f));
        return Head(Concat(-1, normalised, x));
    }

    [TrainingStep]
    public Tensor TrainingStep(Tokens ids, Tokens next) => CrossEntropy(Forward(ids), next);

    [ValidationStep]
    public void ValidationStep(Tokens ids, Tokens next) => Log("val_acc", Accuracy(Forward(ids), next));

    // SGD rather than Adam: the key bias's gradient is zero in exact arithmetic (softmax ignores a
    // constant added to a row of scores), so in float it is noise of order 1e-10, which Adam would
    // scale up to learning-rate-sized steps that differ between backends.
    [Optimizer]
    private static Optimizer Optimizer() => new Sgd(0.5f, momentum: 0.9f);
}
