namespace Dsl;

/// <summary>How <see cref="Device.Cuda(int, IlgpuDeviceOptions)"/> sets a CUDA device up.</summary>
public sealed record IlgpuDeviceOptions
{
    /// <summary>
    /// Lets cuBLAS run float GEMMs on TF32 tensor cores (about 10 significant bits of each input),
    /// faster on Ampere and later but no longer matching float32 results. False by default, so
    /// that CUDA's products match the CPU's to float rounding.
    /// </summary>
    public bool AllowTf32 { get; init; }

    /// <summary>
    /// Where cuBLAS cannot be loaded, run products on the ILGPU tiled GEMM instead of throwing
    /// <see cref="CuBlasUnavailableException"/>; the device's <see cref="Device.Name"/> then says so.
    /// False by default: a missing cuBLAS is an error, never a silent switch.
    /// </summary>
    public bool AllowIlgpuGemmFallback { get; init; }
}
