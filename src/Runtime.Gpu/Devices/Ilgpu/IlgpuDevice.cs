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
/// that the CUDA path is tested without a GPU. One ILGPU context and accelerator; disposing the
/// device releases them. Each device program gets its own stream (<see cref="ForProgram"/>), which
/// its transfers and kernels go through in order; the device's own calls use the default stream.
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
    private readonly AcceleratorStream _stream;
    // The device a program's view was made from (null on the device itself): it owns the accelerator.
    private readonly IlgpuDevice? _owner;
    private readonly bool _shared;
    private readonly object _lock = new();
    private bool _disposed;

    private IlgpuDevice(Context context, Accelerator accelerator, CuBlas? cuBlas, string name, DeviceKind kind, IlgpuDeviceOptions options, bool shared)
    {
        _context = context;
        _accelerator = accelerator;
        _cuBlas = cuBlas;
        _stream = accelerator.DefaultStream;
        _shared = shared;
        Name = name;
        Kind = kind;
        Options = options;
        Ledger = new TransferLedger();
        CuBlasGate = new object();
        if (cuBlas is not null)
        {
            // Default math keeps float32 products in float32; TF32 only when asked for
            // (CUBLAS_TF32_TENSOR_OP_MATH = 3, which ILGPU 1.5.3's enum does not name).
            cuBlas.MathMode = options.AllowTf32 ? (CuBlasMathMode)3 : CuBlasMathMode.DefaultMath;
            // α and β are passed from the host, also to the strided-batched sgemm bound directly.
            cuBlas.PointerMode = CuBlasPointerMode.Host;
        }
    }

    /// <summary>A program's view of <paramref name="owner"/>: its accelerator, cuBLAS and accounting, and a stream of its own.</summary>
    private IlgpuDevice(IlgpuDevice owner)
    {
        _context = owner._context;
        _accelerator = owner.Accelerator;
        _cuBlas = owner._cuBlas;
        _stream = _accelerator.CreateStream();
        _owner = owner;
        Name = owner.Name;
        Kind = owner.Kind;
        Options = owner.Options;
        Ledger = owner.Ledger;
        CuBlasGate = owner.CuBlasGate;
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

    /// <summary>
    /// The stream this device's buffers and kernel library enqueue on, in order: the accelerator's
    /// default stream on the device itself, a stream of its own on a program's view (<see cref="ForProgram"/>).
    /// </summary>
    internal AcceleratorStream Stream
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _stream;
        }
    }

    /// <summary>cuBLAS, shared by the device and its programs' views (each call binds it to the caller's stream), or null where products run on the ILGPU GEMM.</summary>
    internal CuBlas? CuBlas => _cuBlas;

    /// <summary>Held while cuBLAS is bound to a stream and called: the device and its programs' views share it.</summary>
    internal object CuBlasGate { get; }

    internal override bool IsDisposed => _disposed || (_owner?.IsDisposed ?? false);

    /// <summary>
    /// A view of this device for one device program: the same accelerator, cuBLAS and accounting,
    /// with its own stream and its own kernel library on that stream, so that programs on one device
    /// neither wait for nor reorder each other's work. Disposing the view releases only its stream and library.
    /// </summary>
    internal IlgpuDevice ForProgram()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return new IlgpuDevice(this);
    }

    /// <summary>Waits until every transfer and kernel enqueued so far has finished.</summary>
    /// <exception cref="KernelLaunchException">A kernel enqueued before failed.</exception>
    public void Synchronize()
    {
        try
        {
            Stream.Synchronize();
            Ledger.CountSynchronization();
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
            if (_owner is not null)
            {
                // A program's view: its stream is its own, the rest is the device's. Once the device
                // is disposed, the accelerator has released the stream with everything else.
                if (!_owner.IsDisposed)
                    _stream.Dispose();
                return;
            }

            _cuBlas?.Dispose();
            _accelerator.Dispose();
            _context.Dispose();
        }
    }
}
