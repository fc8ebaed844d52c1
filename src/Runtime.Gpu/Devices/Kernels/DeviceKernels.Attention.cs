using System;
using Dsl.Kernels;

namespace Dsl;

// Issue 20, item 3: a training step's multi-head attention as one kernel each way (Dsl.Kernels.Attention).
public abstract partial class DeviceKernels
{
    /// <summary>
    /// The heads of multi-head self-attention side by side: per example and head, softmax(scale·q·kᵀ)
    /// over the visible keys (causal: j ≤ i), dropped with p at the weights' positions in [batch, H, T, T],
    /// times v; q, k and v read from the fused projection [T, 3d] (<c>Attention.Forward</c>).
    /// </summary>
    /// <param name="batch">Examples.</param>
    /// <param name="length">T, positions per example.</param>
    /// <param name="heads">Heads.</param>
    /// <param name="headWidth">dh, the width of a head.</param>
    /// <param name="causal">Whether query i sees only keys j ≤ i.</param>
    /// <param name="scale">The factor on q.</param>
    /// <param name="seed">The run's seed (the dropout's Philox key).</param>
    /// <param name="site">Which dropout call of the model.</param>
    /// <param name="step">The training step.</param>
    /// <param name="p">The probability of dropping a weight, in [0, 1); 0 for none.</param>
    /// <param name="qkv">The fused projection, batch·T·3·heads·dh floats.</param>
    /// <param name="y">The result, batch·T·heads·dh floats (overwritten).</param>
    public void Attention(int batch, int length, int heads, int headWidth, bool causal, float scale, ulong seed, uint site, uint step, float p, DeviceSlice qkv, DeviceSlice y)
    {
        long width = CheckAttention(batch, length, heads, headWidth, p);
        CheckFloats(qkv, 3 * width, nameof(qkv));
        CheckFloats(y, width, nameof(y));
        AttentionCore(batch, length, heads, headWidth, causal, scale, seed, site, step, p, qkv, y);
    }

    /// <summary>Computes <see cref="Attention"/> on validated operands.</summary>
    protected abstract void AttentionCore(int batch, int length, int heads, int headWidth, bool causal, float scale, ulong seed, uint site, uint step, float p, DeviceSlice qkv, DeviceSlice y);

    /// <summary>
    /// The gradient of <see cref="Attention"/> with respect to qkv, the weights recomputed from q and k
    /// (<c>Attention.Backward</c>).
    /// </summary>
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
    /// <param name="qkv">The fused projection the forward pass read, batch·T·3·heads·dh floats.</param>
    /// <param name="gradient">The output's cotangent, batch·T·heads·dh floats.</param>
    /// <param name="qkvGradient">The result, batch·T·3·heads·dh floats (overwritten).</param>
    public void AttentionBackward(int batch, int length, int heads, int headWidth, bool causal, float scale, ulong seed, uint site, uint step, float p,
        DeviceSlice qkv, DeviceSlice gradient, DeviceSlice qkvGradient)
    {
        long width = CheckAttention(batch, length, heads, headWidth, p);
        CheckFloats(qkv, 3 * width, nameof(qkv));
        CheckFloats(gradient, width, nameof(gradient));
        CheckFloats(qkvGradient, 3 * width, nameof(qkvGradient));
        AttentionBackwardCore(batch, length, heads, headWidth, causal, scale, seed, site, step, p, qkv, gradient, qkvGradient);
    }

    /// <summary>Computes <see cref="AttentionBackward"/> on validated operands.</summary>
    protected abstract void AttentionBackwardCore(int batch, int length, int heads, int headWidth, bool causal, float scale, ulong seed, uint site, uint step, float p,
        DeviceSlice qkv, DeviceSlice gradient, DeviceSlice qkvGradient);

    /// <summary>The floats of the output, batch·T·heads·dh, after checking the counts and p.</summary>
    private static long CheckAttention(int batch, int length, int heads, int headWidth, float p)
    {
        if (batch < 0 || length < 1 || heads < 1 || headWidth < 1)
            throw new ArgumentOutOfRangeException(nameof(length), $"Attention needs batch ≥ 0 and positive T, heads and head width (was {batch}, {length}, {heads}, {headWidth}).");
        DropoutKernels.Threshold(p);
        return (long)batch * length * heads * headWidth;
    }
}
