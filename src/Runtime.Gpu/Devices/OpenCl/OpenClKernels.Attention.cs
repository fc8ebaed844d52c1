using Dsl.Kernels;

namespace Dsl;

// Issue 20, item 3: the fused attention cores (attention.cl), one work-item per query or key row.
public sealed partial class OpenClKernels
{
    /// <summary>The kernels of attention.cl, created with the library's.</summary>
    private static readonly string[] AttentionKernelNames = ["attention_forward", "attention_backward_queries", "attention_backward_keys"];

    /// <inheritdoc/>
    /// <remarks>One work-item per query row.</remarks>
    protected override void AttentionCore(int batch, int length, int heads, int headWidth, bool causal, float scale, ulong seed, uint site, uint step, float p, DeviceSlice qkv, DeviceSlice y) =>
        RunAttention("attention_forward", batch, length, heads, headWidth, causal, scale, seed, site, step, p, qkv, y);

    /// <inheritdoc/>
    /// <remarks>dq with one work-item per query row, then dk and dv with one per key row.</remarks>
    protected override void AttentionBackwardCore(int batch, int length, int heads, int headWidth, bool causal, float scale, ulong seed, uint site, uint step, float p,
        DeviceSlice qkv, DeviceSlice gradient, DeviceSlice qkvGradient)
    {
        RunAttention("attention_backward_queries", batch, length, heads, headWidth, causal, scale, seed, site, step, p, qkv, gradient, qkvGradient);
        RunAttention("attention_backward_keys", batch, length, heads, headWidth, causal, scale, seed, site, step, p, qkv, gradient, qkvGradient);
    }

    /// <summary>Runs an attention kernel over every (example, head, row): the sizes, the dropout's words, the operands.</summary>
    private void RunAttention(string name, int batch, int length, int heads, int headWidth, bool causal, float scale, ulong seed, uint site, uint step, float p,
        params DeviceSlice[] operands)
    {
        int total = checked(batch * heads * length);
        if (total == 0)
            return;
        lock (_gate)
        {
            OpenClKernel kernel = _kernels[name];
            int i = 0;
            kernel.SetArg(i++, total);
            kernel.SetArg(i++, length);
            kernel.SetArg(i++, heads);
            kernel.SetArg(i++, headWidth);
            kernel.SetArg(i++, causal ? 1 : 0);
            kernel.SetArg(i++, scale);
            // The kernel's uint arguments, passed by their bit patterns.
            kernel.SetArg(i++, unchecked((int)(uint)seed));
            kernel.SetArg(i++, unchecked((int)(uint)(seed >> 32)));
            kernel.SetArg(i++, unchecked((int)site));
            kernel.SetArg(i++, unchecked((int)step));
            kernel.SetArg(i++, unchecked((int)DropoutKernels.Threshold(p)));
            kernel.SetArg(i++, DropoutKernels.Scale(p));
            kernel.SetArg(i++, p > 0f ? 1 : 0);
            foreach (DeviceSlice operand in operands)
                SetSlice(kernel, ref i, operand);
            Launch(kernel, total);
        }
    }
}
