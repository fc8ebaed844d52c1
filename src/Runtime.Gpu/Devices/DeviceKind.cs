namespace Dsl;

/// <summary>The kind of hardware a <see cref="Device"/> runs compiled programs on.</summary>
public enum DeviceKind
{
    /// <summary>The host CPU: generated C# vectorised with <c>Vector512</c>/<c>Vector256</c>, multi-threaded.</summary>
    Cpu,

    /// <summary>An OpenCL platform (any GPU vendor's driver, or PoCL on a CPU).</summary>
    OpenCl,

    /// <summary>An NVIDIA GPU through ILGPU (kernels compiled to PTX, products on cuBLAS).</summary>
    Cuda,

    // CUDA through ILGPU (issue 17).

    /// <summary>ILGPU's CPU accelerator: the CUDA path's kernels run on the host, slowly (a test device).</summary>
    IlgpuCpu,
}
