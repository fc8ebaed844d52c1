using System;

namespace Dsl;

public sealed partial class IlgpuDevice
{
    // Its own lock: the library allocates buffers (which take no lock of the device's) while built.
    private readonly object _libraryLock = new();
    private IlgpuKernels? _library;

    /// <inheritdoc/>
    /// <remarks>
    /// Created on first use, one per device and one per program's view (<see cref="ForProgram"/>), each
    /// launching on its own stream; each kernel is compiled on its first call. Products run on cuBLAS where <see cref="UsesCuBlas"/>, else on the ILGPU tiled GEMM.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The device has been disposed.</exception>
    public override IlgpuKernels Kernels
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            lock (_libraryLock)
                return _library ??= new IlgpuKernels(this);
        }
    }

    /// <inheritdoc/>
    public override bool CanBuild(FusedKernelSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return sources.Ilgpu is not null;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The kernels' <see cref="FusedKernels.Device"/> is the program's own view of this device
    /// (<see cref="ForProgram"/>): a stream of its own, which the program allocates its buffers, runs
    /// its library kernels and its optimizer on; disposing the kernels releases it.
    /// </remarks>
    /// <exception cref="NotSupportedException">The program carries no ILGPU kernels.</exception>
    /// <exception cref="ArgumentException">A kernel method does not have the contract's signature.</exception>
    public override FusedKernels BuildFusedKernels(FusedKernelSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        IlgpuDevice program = ForProgram();
        try
        {
            return new IlgpuFusedKernels(program, sources);
        }
        catch
        {
            program.Dispose();
            throw;
        }
    }
}
