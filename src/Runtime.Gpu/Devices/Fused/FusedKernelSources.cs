using System;
using System.Collections.Generic;

namespace Dsl;

/// <summary>
/// A generated program's fused element-wise kernels, in each dialect it carries: the kernels'
/// names (a launch names a kernel by its index here) and their source per dialect. A device
/// builds the dialect it speaks (<see cref="Device.CanBuild"/>, <see cref="Device.BuildFusedKernels"/>).
/// </summary>
/// <remarks>
/// Every kernel takes the same arguments, in this order: the element count, then each operand's
/// buffer and offset (the result last), then the loss seed (float), the dropout key's low and high
/// 32 bits and the dropout step (uints); a kernel ignores the scalars it does not use.
/// </remarks>
public sealed class FusedKernelSources
{
    /// <summary>Names the program's kernels.</summary>
    /// <param name="name">The program's name in build errors, e.g. the model's full name.</param>
    /// <param name="kernelNames">The kernels' names, in launch-index order.</param>
    public FusedKernelSources(string name, IReadOnlyList<string> kernelNames)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(kernelNames);
        Name = name;
        KernelNames = kernelNames;
    }

    /// <summary>The program's name in build errors.</summary>
    public string Name { get; }

    /// <summary>The kernels' names, in launch-index order.</summary>
    public IReadOnlyList<string> KernelNames { get; }

    /// <summary>
    /// The kernels in OpenCL C 1.2, or null if the program does not carry that dialect. They may call
    /// the helpers of <see cref="OpenClKernels.FusedPrelude"/> (GELU, dropout's Philox draws), which the device puts before them.
    /// </summary>
    public string? OpenClC { get; init; }

    /// <summary>
    /// The kernels as ILGPU kernels, one static method per kernel in launch-index order, or null if the
    /// program does not carry that dialect. Each has the signature <c>static void K(ILGPU.Index1D index,
    /// int count, ArrayView&lt;float&gt; operand0, int offset0, ..., ArrayView&lt;float&gt; result, int resultOffset,
    /// float seed, uint keyLow, uint keyHigh, uint step)</c> (the OpenCL C kernels' arguments, in their
    /// order) and returns when <c>index &gt;= count</c>. They may call <see cref="IlgpuScalarMath"/>.
    /// </summary>
    public IReadOnlyList<System.Reflection.MethodInfo>? Ilgpu { get; init; }
}
