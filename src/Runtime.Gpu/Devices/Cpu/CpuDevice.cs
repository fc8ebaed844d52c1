using System;
using System.Runtime.Intrinsics;

namespace Dsl;

/// <summary>
/// The host CPU. Compiled programs run their kernels on the calling thread plus the persistent
/// workers of <see cref="Dsl.Kernels.CpuParallel"/>; there is nothing to allocate or release.
/// </summary>
public sealed class CpuDevice : Device
{
    internal static readonly CpuDevice Instance = new();

    private CpuDevice()
    {
        ThreadCount = Environment.ProcessorCount;
        Name = $"CPU ({ThreadCount} threads, {VectorIsa})";
    }

    /// <summary>How many threads kernels split large work across (<see cref="Environment.ProcessorCount"/>).</summary>
    public int ThreadCount { get; }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    /// <remarks>
    /// True: every kernel splits its work by fixed block sizes, never by thread timing, and sums
    /// in a fixed order, so results do not depend on scheduling.
    /// </remarks>
    public override bool IsDeterministic => true;

    /// <inheritdoc/>
    public override DeviceKind Kind => DeviceKind.Cpu;

    /// <inheritdoc/>
    /// <remarks>The oracle every other backend's kernels are tested against.</remarks>
    public override CpuKernels Kernels => CpuKernels.Instance;

    /// <inheritdoc/>
    public override CpuBuffer AllocateFloats(int count, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new CpuBuffer(new float[count], name);
    }

    /// <inheritdoc/>
    public override CpuBuffer AllocateInts(int count, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new CpuBuffer(new int[count], name);
    }

    private static string VectorIsa =>
        Vector512.IsHardwareAccelerated ? "AVX-512"
        : Vector256.IsHardwareAccelerated ? "AVX2"
        : Vector128.IsHardwareAccelerated ? "128-bit SIMD"
        : "scalar";
}
