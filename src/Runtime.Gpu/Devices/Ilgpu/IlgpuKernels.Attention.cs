using System;
using Dsl.Kernels;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

// Issue 20, item 3: fused attention and its gradient, a row per step of the grid-stride loop.
public sealed partial class IlgpuKernels
{
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, AttentionShape>? _attention;
    private Action<AcceleratorStream, KernelConfig, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, AttentionShape>? _attentionQueries, _attentionKeys;

    /// <inheritdoc/>
    protected override void AttentionCore(int batch, int length, int heads, int headWidth, bool causal, float scale, ulong seed, uint site, uint step, float p, DeviceSlice qkv, DeviceSlice y)
    {
        int total = checked(batch * heads * length);
        PerItem(total, ref _attention, IlgpuAttentionKernels.Forward, GridStride(total), total, F(qkv), F(y),
            Shape(length, heads, headWidth, causal, scale, seed, site, step, p));
    }

    /// <inheritdoc/>
    protected override void AttentionBackwardCore(int batch, int length, int heads, int headWidth, bool causal, float scale, ulong seed, uint site, uint step, float p,
        DeviceSlice qkv, DeviceSlice gradient, DeviceSlice qkvGradient)
    {
        int total = checked(batch * heads * length);
        AttentionShape shape = Shape(length, heads, headWidth, causal, scale, seed, site, step, p);
        PerItem(total, ref _attentionQueries, IlgpuAttentionKernels.BackwardQueries, GridStride(total), total, F(qkv), F(gradient), F(qkvGradient), shape);
        PerItem(total, ref _attentionKeys, IlgpuAttentionKernels.BackwardKeys, GridStride(total), total, F(qkv), F(gradient), F(qkvGradient), shape);
    }

    private static AttentionShape Shape(int length, int heads, int headWidth, bool causal, float scale, ulong seed, uint site, uint step, float p) =>
        new(length, heads, headWidth, causal ? 1 : 0, scale, (uint)seed, (uint)(seed >> 32), site, step, DropoutKernels.Threshold(p), DropoutKernels.Scale(p), p > 0f ? 1 : 0);
}
