namespace Dsl;

/// <summary>
/// The OpenCL C 1.2 optimizer kernels of <see cref="OpenClKernels"/> (what <see cref="DeviceOptimizer"/>
/// runs on OpenCL): the fused SGD and Adam updates, statement for statement the CPU's
/// (<c>Sgd.State</c>, <c>AdamState</c>), with every multiply-add an explicit <c>fma</c> and
/// contraction off, so that the device rounds as the CPU does.
/// </summary>
internal static class OpenClOptimizerKernels
{
    /// <summary>The program's name in error messages.</summary>
    public const string ProgramName = "Dsl.OpenClOptimizer";

    /// <summary>The program's source: the embedded <c>optimizer.cl</c>, built once per device by <see cref="OpenClKernels"/>.</summary>
    public static string Source => OpenClSources.Optimizer;
}
