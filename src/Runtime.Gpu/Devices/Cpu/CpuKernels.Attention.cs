using AttentionKernels = Dsl.Kernels.Attention;

namespace Dsl;

// Issue 20, item 3: the fused attention cores, Dsl.Kernels.Attention.
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    protected override void AttentionCore(int batch, int length, int heads, int headWidth, bool causal, float scale, ulong seed, uint site, uint step, float p, DeviceSlice qkv, DeviceSlice y) =>
        AttentionKernels.Forward(F(qkv), F(y), batch, length, heads, headWidth, causal, scale, seed, site, step, p);

    /// <inheritdoc/>
    protected override void AttentionBackwardCore(int batch, int length, int heads, int headWidth, bool causal, float scale, ulong seed, uint site, uint step, float p,
        DeviceSlice qkv, DeviceSlice gradient, DeviceSlice qkvGradient) =>
        AttentionKernels.Backward(F(qkv), F(gradient), F(qkvGradient), batch, length, heads, headWidth, causal, scale, seed, site, step, p);
}
