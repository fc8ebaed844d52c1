namespace Dsl.Generator.Emit.OpenCl;

/// <summary>Dropout's p as the literals a fused kernel passes to the runtime's <c>dsl_dropout</c> (OpenClKernels.FusedPrelude).</summary>
internal static class DropoutConstants
{
    /// <summary>
    /// The integer form of p, as <c>Dsl.Kernels.DropoutKernels.Threshold</c> computes it at run time:
    /// an element is kept when the top 24 bits of its draw are at least ⌈p · 2^24⌉.
    /// </summary>
    public static uint Threshold(double p) => (uint)System.Math.Ceiling((float)p * (double)(1 << 24));

    /// <summary>The factor kept elements are multiplied by, as <c>Dsl.Kernels.DropoutKernels.Scale</c>: 1 / (1 − p) rounded once to float.</summary>
    public static float Scale(double p) => (float)(1.0 / (1.0 - (float)p));
}
