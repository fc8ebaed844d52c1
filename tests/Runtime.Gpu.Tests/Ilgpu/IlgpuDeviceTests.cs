using System;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace Dsl.Tests.Ilgpu;

/// <summary>
/// The ILGPU device on its CPU accelerator (what the CUDA path runs without a GPU): its name and
/// kind, buffers, the fused kernels' seam, and how opening CUDA fails on a machine without it.
/// </summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuDeviceTests
{
    [Fact]
    public void CudaEitherOpensOrSaysWhatIsMissingAndHowToFixIt()
    {
        if (IlgpuDevice.TryGetCudaUnavailableReason(out string reason))
        {
            var error = Assert.Throws<CudaUnavailableException>(() => Device.Cuda());
            Assert.Contains("libcuda.so.1", error.Message);
            Assert.Contains("nvidia-smi", error.Message);
            Assert.Contains("libcuda.so.1", reason);
            // Never a silent switch: the default device is then not CUDA, and says what it is.
            Assert.NotEqual(DeviceKind.Cuda, Device.Default.Kind);
        }
        else
        {
            using IlgpuDevice cuda = Device.Cuda();
            Assert.Equal(DeviceKind.Cuda, cuda.Kind);
            Assert.True(cuda.UsesCuBlas);
            Assert.Contains("cuBLAS", cuda.Name);
        }
    }

    [Fact]
    public void TheCpuAcceleratorIsATestDeviceOnTheTiledGemm()
    {
        using IlgpuDevice device = Device.IlgpuCpu();
        Assert.Equal(DeviceKind.IlgpuCpu, device.Kind);
        Assert.False(device.UsesCuBlas);
        Assert.Contains("ILGPU CPU accelerator", device.Name);
        Assert.Contains("direct GEMM", device.Name);
        Assert.Same(device.Kernels, device.Kernels);
        Assert.Same(device.Kernels, ((Device)device).Kernels);
    }

    [Fact]
    public void BuffersRoundTripAtOffsetsAndCountTheirTransfers()
    {
        using IlgpuDevice device = Device.IlgpuCpu();
        TransferCounts before = device.Transfers;
        using (IlgpuBuffer floats = device.AllocateFloats(5, "floats"), ints = device.AllocateInts(3, "ints"))
        {
            Assert.Equal(2, device.LiveBuffers);
            floats.Write([1f, 2f, 3f], offset: 2);
            ints.Write([7, -8], offset: 1);
            var f = new float[5];
            var i = new int[3];
            floats.Read(f);
            ints.Read(i);
            Assert.Equal([0f, 0f, 1f, 2f, 3f], f);
            Assert.Equal([0, 7, -8], i);
            Assert.Throws<ArgumentOutOfRangeException>(() => floats.Write([1f, 2f], offset: 4));
        }

        TransferCounts moved = device.Transfers;
        Assert.Equal(0, device.LiveBuffers);
        Assert.Equal(2, moved.TransfersToDevice - before.TransfersToDevice);
        Assert.Equal((3 + 2) * 4, moved.BytesToDevice - before.BytesToDevice);
        Assert.Equal((5 + 3) * 4, moved.BytesToHost - before.BytesToHost);
    }

    /// <summary>A program's ILGPU kernels launch with the contract's arguments: count, each operand's view and offset (the result last), seed, the dropout key's halves and step.</summary>
    [Fact]
    public void AProgramsFusedKernelsLaunchThroughTheDevicesSeam()
    {
        using IlgpuDevice device = Device.IlgpuCpu();
        var sources = new FusedKernelSources("FusedSeamTest", ["axpy"]) { Ilgpu = [typeof(SeamKernels).GetMethod(nameof(SeamKernels.Axpy))!] };
        Assert.True(device.CanBuild(sources));
        Assert.False(Device.Cpu.CanBuild(sources));
        Assert.False(device.CanBuild(new FusedKernelSources("NoIlgpu", ["axpy"])));

        using FusedKernels fused = device.BuildFusedKernels(sources);
        // A program's buffers are on its view of the device (its stream), as its fused kernels are.
        using var x = fused.Device.AllocateFloats(4, "x");
        using var y = fused.Device.AllocateFloats(5, "y");
        x.Write([1f, 2f, 3f, 4f]);
        fused.Launch(0, 3, new FusedScalars(2f, (5UL << 32) | 100, 10), x.Slice(1), y.Slice(2));
        var result = new float[5];
        y.Read(result);
        // 2·x + 10 + 5 + 100 / 100 − 6 for x = 2, 3, 4: a scalar missing or out of place changes the sum.
        Assert.Equal([0f, 0f, 14f, 16f, 18f], result);

        var shortResult = Assert.Throws<ArgumentException>(() => fused.Launch(0, 4, default, x, y.Slice(2)));
        Assert.Contains("writes 4 elements from offset 2 of buffer 'y'", shortResult.Message);
    }

    /// <summary>
    /// Each program's fused kernels come with a view of the device of its own: its own stream and
    /// kernel library, the device's accounting; buffers of the device are refused there (another
    /// stream), and disposing the kernels releases the view, not the device.
    /// </summary>
    [Fact]
    public void EachProgramRunsOnAStreamOfItsOwnAndReleasesIt()
    {
        using IlgpuDevice device = Device.IlgpuCpu();
        var sources = new FusedKernelSources("FusedStreamTest", ["axpy"]) { Ilgpu = [typeof(SeamKernels).GetMethod(nameof(SeamKernels.Axpy))!] };
        FusedKernels first = device.BuildFusedKernels(sources);
        using FusedKernels second = device.BuildFusedKernels(sources);
        var one = (IlgpuDevice)first.Device;
        var two = (IlgpuDevice)second.Device;
        Assert.NotSame(device, one);
        Assert.NotSame(one.Stream, two.Stream);
        Assert.NotSame(device.Stream, one.Stream);
        Assert.NotSame(one.Kernels, two.Kernels);
        Assert.NotSame(device.Kernels, one.Kernels);
        Assert.Equal(device.Name, one.Name);

        using var deviceBuffer = device.AllocateFloats(2, "on the device's stream");
        using var programBuffer = one.AllocateFloats(2, "on the program's stream");
        Assert.Throws<ArgumentException>(() => first.Launch(0, 2, default, deviceBuffer, programBuffer));

        // The device's accounting counts the programs' buffers and their waits.
        long waits = device.Synchronizations;
        programBuffer.Read(new float[2]);
        Assert.Equal(waits + 1, device.Synchronizations);
        int live = device.LiveBuffers;
        programBuffer.Dispose();
        Assert.Equal(live - 1, device.LiveBuffers);

        first.Dispose();
        Assert.True(one.IsDisposed);
        Assert.False(device.IsDisposed);
        Assert.False(two.IsDisposed);
        using var after = two.AllocateFloats(3, "after the first program");
        two.Kernels.Fill(3, 7f, after);
        var values = new float[3];
        after.Read(values);
        Assert.Equal([7f, 7f, 7f], values);
    }

    /// <summary>
    /// A launch over many more elements than the bounded grid has threads (16 on the CPU accelerator)
    /// reaches every element once, through each thread's grid-stride loop; and a steady-state launch
    /// allocates nothing beyond what ILGPU's own typed launch of the same kernel does (no boxed
    /// arguments, no object[]). On CUDA that is nothing; ILGPU's CPU accelerator allocates a task
    /// object per launch (144 bytes here) whoever launches.
    /// </summary>
    [Fact]
    public void FusedLaunchesCoverEveryElementOfABoundedGridAndAllocateNothing()
    {
        const int count = 1000;
        using IlgpuDevice device = Device.IlgpuCpu();
        var sources = new FusedKernelSources("FusedGridStrideTest", ["axpy"]) { Ilgpu = [typeof(SeamKernels).GetMethod(nameof(SeamKernels.Axpy))!] };
        using FusedKernels fused = device.BuildFusedKernels(sources);
        var program = (IlgpuDevice)fused.Device;
        using var x = program.AllocateFloats(count, "x");
        using var y = program.AllocateFloats(count + 1, "y");
        float[] values = Enumerable.Range(0, count).Select(i => (float)i).ToArray();
        x.Write(values);
        var scalars = new FusedScalars(1f, 600, 0);
        fused.Launch(0, count, scalars, x, y.Slice(1));
        program.Synchronize();

        // ILGPU's typed launcher of the same kernel, called directly: what the accelerator itself allocates.
        var direct = program.Accelerator.LoadKernel<int, ArrayView<float>, int, ArrayView<float>, int, float, uint, uint, uint>(SeamKernels.Axpy);
        ArrayView<float> xs = ((IlgpuBuffer)x).Floats(0), ys = ((IlgpuBuffer)y).Floats(0);
        KernelConfig grid = program.GridStrideLaunch(count);
        direct(program.Stream, grid, count, xs, 0, ys, 1, 1f, 600, 0, 0);
        program.Synchronize();

        // What a launch allocates on the CPU accelerator depends on how its worker threads are scheduled
        // (a CI run measured 281 bytes a launch for ours against 203 for ILGPU's own, on code that had
        // passed this test at under 8 bytes apart), so the two are measured in alternating batches and
        // the least each allocated in a batch is compared.
        const int launches = 100, batches = 5;
        long allocated = long.MaxValue, ilgpuOwn = long.MaxValue;
        for (int batch = 0; batch < batches; batch++)
        {
            allocated = Math.Min(allocated, AllocatedBy(launches, () => fused.Launch(0, count, scalars, x, y.Slice(1)), program));
            ilgpuOwn = Math.Min(ilgpuOwn, AllocatedBy(launches, () => direct(program.Stream, grid, count, xs, 0, ys, 1, 1f, 600, 0, 0), program));
        }

        var result = new float[count + 1];
        y.Read(result);
        Assert.Equal(0f, result[0]);
        Assert.Equal(values, result.Skip(1).ToArray());
        // Less than 8 bytes a launch over ILGPU's own: the smallest object (24 bytes) per launch, an
        // object[] of boxed arguments, fails it; a one-off allocation (measured: 48 bytes once, the
        // runtime's, under load) does not.
        Assert.True(allocated - ilgpuOwn < 8 * launches, $"{launches} fused launches allocated {allocated} bytes; ILGPU's own typed launches {ilgpuOwn}.");
    }

    /// <summary>Bytes this thread allocates over <paramref name="launches"/> calls of <paramref name="launch"/>, the accelerator idle before.</summary>
    private static long AllocatedBy(int launches, Action launch, IlgpuDevice program)
    {
        program.Synchronize();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < launches; i++)
            launch();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        program.Synchronize();
        return allocated;
    }

    [Fact]
    public void AKernelWithoutTheContractsSignatureIsRefusedByName()
    {
        using IlgpuDevice device = Device.IlgpuCpu();
        var sources = new FusedKernelSources("BadSignature", ["notAKernel"]) { Ilgpu = [typeof(SeamKernels).GetMethod(nameof(SeamKernels.NotAKernel))!] };
        var error = Assert.Throws<ArgumentException>(() => device.BuildFusedKernels(sources));
        Assert.Contains("notAKernel", error.Message);
    }
}

/// <summary>Hand-written kernels for the seam tests (public: ILGPU compiles them from their IL).</summary>
public static class SeamKernels
{
    /// <summary>A fused kernel of the contract's shape: r = seed·a + step + keyHigh + keyLow / 100 − 6, a grid-stride loop.</summary>
    public static void Axpy(int count, ArrayView<float> a0, int o0, ArrayView<float> r1, int o1, float seed, uint keyLow, uint keyHigh, uint step)
    {
        for (int i = IlgpuGridStride.Start; i < count; i += IlgpuGridStride.Stride)
            r1[o1 + i] = (seed * a0[o0 + i]) + step + keyHigh + (keyLow / 100) - 6;
    }

    /// <summary>Not the contract's shape: no seed and no dropout key.</summary>
    public static void NotAKernel(int count, ArrayView<float> r0, int o0)
    {
        for (int i = IlgpuGridStride.Start; i < count; i += IlgpuGridStride.Stride)
            r0[o0 + i] = count;
    }
}
