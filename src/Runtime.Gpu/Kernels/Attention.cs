using System;

namespace Dsl.Kernels;

/// <summary>
/// Multi-head self-attention in one pass per (example, head), read from and written to the
/// projections' own layouts: q, k and v are the three parts of the fused projection [T, 3d]
/// (part p, head h at columns p·d + h·dh), the output is the heads side by side [T, d]. No
/// [H, T, T] array of scores or weights is ever stored; the backward pass recomputes a query
/// row's weights from q and k instead (flash-attention's trade: a few extra products against
/// the memory traffic of the weights).
/// </summary>
/// <remarks>
/// <para>
/// The op is what the unfused chain of split heads, q·kᵀ (q scaled by <c>scale</c>), causal or
/// full softmax, dropout on the weights, P·v and merge heads computes, with the same arithmetic
/// per step: q is scaled and rounded first, each weight row is the softmax of its visible scores
/// (max subtracted, exponentials, their sum's reciprocal as the factor), and a weight is dropped
/// with the same Philox draw, at its position in the [batch, H, T, T] weights
/// (example·H·T·T + h·T·T + i·T + j). The order in which the products sum differs from the batched
/// GEMM's, and the exponential is <c>SimdMath.Exp</c> (<c>Vector256.Exp</c>'s bits), so the last bits may differ from the chain's.
/// </para>
/// <para>
/// Four query rows are a register tile: their scores (at most 4 × T floats) stay in the L1 cache
/// from q·kᵀ to P·v, and in the backward pass with their gradients; K (and V) are transposed once
/// per (example, head) into the thread's scratch. Units (example, head) are split across cores;
/// each writes only its own columns, so results do not depend on the split.
/// </para>
/// </remarks>
public static unsafe partial class Attention
{
    /// <summary>
    /// y[e, i, h·dh ..][..dh] = Σ_j P̃[e, h, i, j] · v[e, j, h] with P = softmax over the visible keys
    /// of scale·q[e, i, h] · k[e, j, h] and P̃ its dropout (none when <paramref name="p"/> is 0).
    /// </summary>
    /// <param name="qkv">The fused projection, [batch, T, 3·heads·dh]: q, k and v side by side.</param>
    /// <param name="y">The heads side by side, [batch, T, heads·dh]; overwritten.</param>
    /// <param name="batch">Examples.</param>
    /// <param name="length">T, positions per example.</param>
    /// <param name="heads">Heads.</param>
    /// <param name="headWidth">dh, the width of a head.</param>
    /// <param name="causal">Whether query i sees only keys j ≤ i.</param>
    /// <param name="scale">The factor on q (1/√dh in nn.MultiheadAttention).</param>
    /// <param name="seed">The run's seed (the dropout's Philox key).</param>
    /// <param name="site">Which dropout call of the model.</param>
    /// <param name="step">The training step.</param>
    /// <param name="p">The probability of dropping a weight, in [0, 1); 0 for none.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need, or a count is not positive.</exception>
    public static void Forward(ReadOnlySpan<float> qkv, Span<float> y, int batch, int length, int heads, int headWidth, bool causal, float scale, ulong seed, uint site, uint step, float p)
    {
        CheckCounts(batch, length, heads, headWidth);
        long width = (long)heads * headWidth;
        Check(qkv.Length, batch * length * 3 * width, nameof(qkv));
        Check(y.Length, batch * length * width, nameof(y));
        DropoutKernels.Threshold(p);
        fixed (float* pq = qkv, py = y)
        {
            var kernel = new ForwardUnits { Shape = new Heads(length, heads, headWidth, causal, scale, seed, site, step, p), Qkv = pq, Y = py };
            RowSplit.Run(kernel, batch * heads, (long)length * length * headWidth);
        }
    }

    /// <summary>
    /// The gradient of <see cref="Forward"/> with respect to qkv, written into the three parts of
    /// [batch, T, 3d]: per (example, head) and query row, P recomputed, dV += P̃ᵀ·ȳ, dP = dropout(ȳ·vᵀ),
    /// dS = P ⊙ (dP − Σ_j P⊙dP), dq = scale · dS·k, dk += dS ᵀ·(scale·q).
    /// </summary>
    /// <param name="qkv">The fused projection the forward pass read, [batch, T, 3·heads·dh].</param>
    /// <param name="gradient">The output's cotangent ȳ, [batch, T, heads·dh].</param>
    /// <param name="qkvGradient">The result, [batch, T, 3·heads·dh]; overwritten.</param>
    /// <param name="batch">Examples.</param>
    /// <param name="length">T, positions per example.</param>
    /// <param name="heads">Heads.</param>
    /// <param name="headWidth">dh, the width of a head.</param>
    /// <param name="causal">Whether query i sees only keys j ≤ i.</param>
    /// <param name="scale">The factor on q.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="site">Which dropout call of the model.</param>
    /// <param name="step">The training step.</param>
    /// <param name="p">The probability of dropping a weight, in [0, 1); 0 for none.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need, or a count is not positive.</exception>
    public static void Backward(ReadOnlySpan<float> qkv, ReadOnlySpan<float> gradient, Span<float> qkvGradient, int batch, int length, int heads, int headWidth, bool causal, float scale, ulong seed, uint site, uint step, float p)
    {
        CheckCounts(batch, length, heads, headWidth);
        long width = (long)heads * headWidth;
        Check(qkv.Length, batch * length * 3 * width, nameof(qkv));
        Check(gradient.Length, batch * length * width, nameof(gradient));
        Check(qkvGradient.Length, batch * length * 3 * width, nameof(qkvGradient));
        DropoutKernels.Threshold(p);
        fixed (float* pq = qkv, pg = gradient, pr = qkvGradient)
        {
            var kernel = new BackwardUnits { Shape = new Heads(length, heads, headWidth, causal, scale, seed, site, step, p), Qkv = pq, Gradient = pg, Result = pr };
            RowSplit.Run(kernel, batch * heads, 3L * length * length * headWidth);
        }
    }

    private static void CheckCounts(int batch, int length, int heads, int headWidth)
    {
        if (batch < 0 || length < 1 || heads < 1 || headWidth < 1)
            throw new ArgumentException($"Attention needs batch ≥ 0 and positive T, heads and head width (was {batch}, {length}, {heads}, {headWidth}).", nameof(length));
    }

    private static void Check(long length, long needed, string name)
    {
        if (length < needed)
            throw new ArgumentException($"{name} has {length} elements; {needed} are needed.", name);
    }

    /// <summary>The sizes and constants every unit of one call shares.</summary>
    private readonly record struct Heads(int Length, int Count, int Width, bool Causal, float Scale, ulong Seed, uint Site, uint Step, float P)
    {
        /// <summary>d: the heads side by side.</summary>
        public int Model => Count * Width;

        /// <summary>T rounded up to whole Vector512s: the stride of a transposed [dh, T] head and of a row of scores.</summary>
        public int Padded => (Length + 15) & ~15;

        /// <summary>The keys query <paramref name="i"/> sees.</summary>
        public int Visible(int i) => Causal ? i + 1 : Length;
    }
}
