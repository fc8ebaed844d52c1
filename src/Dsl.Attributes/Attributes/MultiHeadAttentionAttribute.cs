using System;

namespace Dsl;

/// <summary>
/// Declares multi-head self-attention over a sequence <c>x [T, d]</c>, like
/// <c>torch.nn.MultiheadAttention(d, Heads, dropout: Dropout, batch_first: True)</c> called as
/// <c>attention(x, x, x, attn_mask: causal, need_weights: False)</c>: one fused projection to
/// q, k and v, <see cref="Heads"/> heads of width d / Heads, weights softmax(q·kᵀ / √(d / Heads))
/// (with <see cref="Causal"/>, position i attends to positions j ≤ i only), dropout on those weights
/// in the [TrainingStep] only, and an output projection. The width d is inferred from the argument;
/// the parameters are named and initialised as PyTorch's: <c>attention.in_proj_weight [3d, d]</c>
/// (Xavier-uniform), <c>attention.in_proj_bias [3d]</c> (zeros), <c>attention.out_proj.weight [d, d]</c>
/// (nn.Linear's default) and <c>attention.out_proj.bias [d]</c> (zeros).
/// </summary>
/// <example>
/// <code>
/// [MultiHeadAttention(Heads = 4, Causal = true, Dropout = 0.1f)] private partial Tensor Attention(Tensor x);   // x: [T, d]
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class MultiHeadAttentionAttribute : Attribute
{
    /// <summary>The number of heads, at least 1, dividing the width d; required.</summary>
    public int Heads { get; set; }

    /// <summary>Whether position i sees only positions j ≤ i (a GPT's mask); false by default.</summary>
    public bool Causal { get; set; }

    /// <summary>The probability that an attention weight is zeroed in training, in [0, 1); 0 by default.</summary>
    public float Dropout { get; set; }
}
