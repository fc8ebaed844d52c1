namespace Dsl;

/// <summary>
/// The OpenCL C 1.2 kernels of <see cref="OpenClOptimizer"/>: the first stage of the gradient's
/// global norm and the fused SGD and Adam updates, statement for statement the CPU's
/// (<c>Sgd.State</c>, <c>AdamState</c>), with every multiply-add an explicit <c>fma</c> and
/// contraction off, so that the device rounds as the CPU does.
/// </summary>
internal static class OpenClOptimizerKernels
{
    /// <summary>The program's name in error messages.</summary>
    public const string ProgramName = "Dsl.OpenClOptimizer";

    /// <summary>Elements each work-item of <c>sum_of_squares</c> adds up.</summary>
    public const int ItemsPerWorkItem = 16;

    // Flags of sgd_update.
    public const int SgdDecay = (int)SgdUpdateFlags.Decay, SgdMomentum = (int)SgdUpdateFlags.Momentum,
        SgdNesterov = (int)SgdUpdateFlags.Nesterov, SgdFirstStep = (int)SgdUpdateFlags.FirstStep;

    // Flags of adam_update.
    public const int AdamL2Decay = (int)AdamUpdateFlags.L2Decay, AdamDecoupledDecay = (int)AdamUpdateFlags.DecoupledDecay;

    /// <summary>The program's source: the embedded <c>optimizer.cl</c>, shared with <see cref="OpenClKernels"/> (one program per device).</summary>
    public static string Source => OpenClSources.Optimizer;
}
