namespace Dsl.Generator.Fusion;

/// <summary>What a backend's kernels can do beyond the plain calls, so the kernel plan asks for it only where it runs.</summary>
/// <param name="FusesGemmEpilogues">
/// Whether a GEMM runs a fused element-wise loop on each block of its product as the block is
/// finished (<see cref="GemmEpilogues"/>); elsewhere the loop stays a step of its own.
/// </param>
internal sealed record BackendCapabilities(bool FusesGemmEpilogues)
{
    /// <summary>The CPU program: <c>Gemm.Multiply</c> takes an epilogue.</summary>
    public static BackendCapabilities Cpu { get; } = new(FusesGemmEpilogues: true);

    /// <summary>The OpenCL program: its GEMM kernels write the product only.</summary>
    public static BackendCapabilities OpenCl { get; } = new(FusesGemmEpilogues: false);
}
