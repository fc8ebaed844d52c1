using System;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.Cuda.API;

namespace Dsl;

/// <summary>
/// A device run through ILGPU: an NVIDIA GPU (<see cref="Device.Cuda(int)"/>), or ILGPU's CPU
/// accelerator (<see cref="Device.IlgpuCpu"/>), which runs the same kernels slowly on the host so
/// that the CUDA path is tested without a GPU. One ILGPU context and accelerator, and one stream
/// that every transfer and kernel goes through in order; disposing the device releases them.
/// </summary>
/// <remarks>
/// Kernels are compiled from IL at run time (ILGPU's PTX backend on CUDA), so this device needs
/// the JIT: it is unavailable under NativeAOT. Nothing of ILGPU is loaded until one is asked for.
/// Writes return once the host data is staged; kernels are enqueued; only reads wait.
/// </remarks>
public sealed partial class IlgpuDevice : Device
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly CuBlas? _cuBlas;
    private readonly bool _shared;
    private readonly object _lock = new();
    private bool _disposed;

    private IlgpuDevice(Context context, Accelerator accelerator, CuBlas? cuBlas, string name, DeviceKind kind, IlgpuDeviceOptions options, bool shared)
    {
        _context = context;
        _accelerator = accelerator;
        _cuBlas = cuBlas;
        _shared = shared;
        Name = name;
        Kind = kind;
        Options = options;
        if (cuBlas is not null)
        {
            // Default math keeps float32 products in float32; TF32 only when asked for
            // (CUBLAS_TF32_TENSOR_OP_MATH = 3, which ILGPU 1.5.3's enum does not name).
            cuBlas.MathMode = options.AllowTf32 ? (CuBlasMathMode)3 : CuBlasMathMode.DefaultMath;
            // α and β are passed from the host, also to the strided-batched sgemm bound directly.
            cuBlas.PointerMode = CuBlasPointerMode.Host;
        }
    }

    /// <summary>Opens CUDA device <paramref name="index"/>; see <see cref="Device.Cuda(int, IlgpuDeviceOptions)"/>.</summary>
    internal static IlgpuDevice OpenCuda(int index, IlgpuDeviceOptions options, bool shared)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (CudaDriver.UnavailableReason() is { } reason)
            throw new CudaUnavailableException(reason);

        Context context = Context.Create(builder => builder.Cuda().EnableAlgorithms());
        CudaAccelerator? accelerator = null;
        try
        {
            var devices = context.GetCudaDevices();
            if (devices.Count == 0)
                throw new CudaUnavailableException($"The NVIDIA driver ({CudaDriver.LibraryName}) loads but reports no usable CUDA device.");
            if (index >= devices.Count)
                throw new CudaUnavailableException($"CUDA device {index} was asked for; this machine has {devices.Count} (0 to {devices.Count - 1}).");

            CudaDevice device = context.GetCudaDevice(index);
            string card = $"{device.Name} ({device.Architecture})";
            if (device.InstructionSet is null)
            {
                CudaAccelerator.TryGetInstructionSet(device.Architecture!.Value, device.DriverVersion, out CudaDriverVersion required, out _);
                throw new CudaDriverTooOldException(card, device.DriverVersion.ToString(), required.ToString());
            }

            accelerator = device.CreateCudaAccelerator(context);
            CuBlas? cuBlas = null;
            string gemm;
            try
            {
                cuBlas = new CuBlas(accelerator, CuBlasAPIVersion.V12);
                gemm = $"cuBLAS {cuBlas.Version}{(options.AllowTf32 ? ", TF32 allowed" : "")}";
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or CuBlasException)
            {
                if (!options.AllowIlgpuGemmFallback)
                    throw new CuBlasUnavailableException(card, e);
                gemm = "ILGPU tiled GEMM: cuBLAS not found";
            }

            string name = $"CUDA {card}, driver {device.DriverVersion}, {gemm}";
            return new IlgpuDevice(context, accelerator, cuBlas, name, DeviceKind.Cuda, options, shared);
        }
        catch
        {
            accelerator?.Dispose();
            context.Dispose();
            throw;
        }
    }

    /// <summary>Opens ILGPU's CPU accelerator; see <see cref="Device.IlgpuCpu"/>.</summary>
    internal static IlgpuDevice OpenCpu()
    {
        Context context = Context.Create(builder => builder.DefaultCPU().EnableAlgorithms());
        try
        {
            CPUAccelerator accelerator = context.CreateCPUAccelerator(0);
            return new IlgpuDevice(
                context, accelerator, null, "ILGPU CPU accelerator (a slow test device), ILGPU direct GEMM",
                DeviceKind.IlgpuCpu, new IlgpuDeviceOptions(), shared: false);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>e.g. <c>CUDA NVIDIA H100 80GB HBM3 (SM_90), driver 12.4, cuBLAS 120201</c>: the card, then the GEMM library.</remarks>
    public override string Name { get; }

    /// <inheritdoc/>
    public override DeviceKind Kind { get; }

    /// <inheritdoc/>
    /// <remarks>
    /// True for the runtime's kernels: none uses atomics, and every reduction splits its work by
    /// sizes fixed from the problem and the device (never by timing) and sums in a fixed order.
    /// cuBLAS's sgemm is deterministic on one GPU and stream (its atomics mode stays off).
    /// </remarks>
    public override bool IsDeterministic => true;

    /// <summary>How the device was set up.</summary>
    public IlgpuDeviceOptions Options { get; }

    /// <summary>Whether products run on cuBLAS (else on the ILGPU tiled GEMM).</summary>
    public bool UsesCuBlas => _cuBlas is not null;

    /// <summary>The device's memory in bytes.</summary>
    public long MemorySize => _accelerator.MemorySize;

    /// <summary>The accelerator, for the device's buffers and kernels.</summary>
    internal Accelerator Accelerator
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _accelerator;
        }
    }

    /// <summary>The device's one stream: every transfer and kernel, in order.</summary>
    internal AcceleratorStream Stream => Accelerator.DefaultStream;

    /// <summary>cuBLAS, bound to <see cref="Stream"/>, or null where products run on the ILGPU GEMM.</summary>
    internal CuBlas? CuBlas => _cuBlas;

    internal override bool IsDisposed => _disposed;

    /// <summary>Waits until every transfer and kernel enqueued so far has finished.</summary>
    /// <exception cref="KernelLaunchException">A kernel enqueued before failed.</exception>
    public void Synchronize()
    {
        try
        {
            Stream.Synchronize();
        }
        catch (Exception e) when (IlgpuErrors.Launch(e, "A kernel enqueued before Synchronize", this) is { } typed)
        {
            throw typed;
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (_shared)
            return;
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            _library?.Dispose();
            _cuBlas?.Dispose();
            _accelerator.Dispose();
            _context.Dispose();
        }
    }
}
