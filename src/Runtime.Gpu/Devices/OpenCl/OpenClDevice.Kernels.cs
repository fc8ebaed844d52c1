using System;

namespace Dsl;

public sealed unsafe partial class OpenClDevice
{
    // Its own lock: building the library takes _lock (GetProgram, CreateKernel) from inside it.
    private readonly object _libraryLock = new();
    private OpenClKernels? _library;

    /// <inheritdoc/>
    /// <remarks>
    /// Built on first use from the runtime's embedded <c>.cl</c> sources, with the GEMM tiling
    /// chosen for this device, then shared by every program on the device. Its kernels and scratch
    /// buffers are the device's: disposing the device releases them.
    /// </remarks>
    /// <exception cref="OpenClBuildException">The library does not compile on this device.</exception>
    /// <exception cref="System.ObjectDisposedException">The device has been disposed.</exception>
    public override OpenClKernels Kernels
    {
        get
        {
            lock (_libraryLock)
                return _library ??= new OpenClKernels(this);
        }
    }

    /// <inheritdoc/>
    public override bool CanBuild(FusedKernelSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return sources.OpenClC is not null;
    }

    /// <inheritdoc/>
    public override FusedKernels BuildFusedKernels(FusedKernelSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return new OpenClFusedKernels(this, sources);
    }
}
