using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Fusion;

namespace Dsl.Generator.Emit.OpenCl.Library;

/// <summary>
/// The host side of a kind of library kernel: a private C# method of the generated program that
/// sets the kernel's arguments and enqueues it. Written once per program that launches such a kernel.
/// </summary>
/// <param name="Name">The method's name, e.g. <c>Gemm</c>.</param>
/// <param name="Text">The method, in C#.</param>
internal sealed record KernelLauncher(string Name, string Text);

/// <summary>
/// A hand-written OpenCL C kernel for a non-element-wise op (GEMM, a row kernel, a reduction).
/// A program's source holds only the library kernels its steps call.
/// </summary>
/// <param name="Name">The kernel's name in OpenCL C, e.g. <c>gemm_nt</c>.</param>
/// <param name="Source">The kernel, in OpenCL C 1.2.</param>
/// <param name="Launcher">The host method that launches it.</param>
internal sealed record LibraryKernel(string Name, string Source, KernelLauncher Launcher)
{
    /// <summary>The program's field holding the kernel: <c>gemm_nt</c> becomes <c>_gemmNt</c>.</summary>
    public string Field => "_" + string.Concat(Name.Split('_').Select((part, i) => i == 0 ? part : char.ToUpperInvariant(part[0]) + part.Substring(1)));
}

/// <summary>The library kernels, in the order a program's source lists them, and which runs each planned kernel call.</summary>
internal static class LibraryKernels
{
    public static IReadOnlyList<LibraryKernel> All { get; } = new[]
    {
        GemmKernels.NT, GemmKernels.NN, GemmKernels.TN,
        GemmKernels.BatchedNN, GemmKernels.BatchedNT, GemmKernels.BatchedTN, GemmKernels.BatchedTT,
        RowKernels.SumRows, RowKernels.SumColumns, RowKernels.Softmax, RowKernels.LogSoftmax,
        RowKernels.CrossEntropy, RowKernels.CrossEntropyGrad, RowKernels.Accuracy, RowKernels.OneHot,
        RowKernels.ExpandLast, RowKernels.Tile, RowKernels.Gather, RowKernels.ScatterAdd,
        NormalizationKernels.LayerNorm, NormalizationKernels.LayerNormScale, NormalizationKernels.LayerNormBackward,
        AttentionKernels.SplitHeads, AttentionKernels.MergeHeads, AttentionKernels.CausalSoftmax,
        MovementKernels.SwapAxes, MovementKernels.CopyBlocks, MovementKernels.CausalMask,
    };

    /// <summary>The kernel that runs a planned call.</summary>
    public static LibraryKernel For(KernelCall call) => For(call.Kernel, call.TransposeA, call.TransposeB);

    /// <summary>The kernel that runs <paramref name="kernel"/>; a GEMM's by its transposes.</summary>
    public static LibraryKernel For(KernelId kernel, bool transposeA = false, bool transposeB = false) => kernel switch
    {
        KernelId.Gemm => (transposeA, transposeB) switch
        {
            (false, true) => GemmKernels.NT,
            (false, false) => GemmKernels.NN,
            (true, false) => GemmKernels.TN,
            _ => throw new System.ArgumentException("no single OpenCL GEMM kernel with both operands transposed", nameof(transposeB)),
        },
        KernelId.BatchedGemm => GemmKernels.Batched(transposeA, transposeB),
        KernelId.SumRows => RowKernels.SumRows,
        KernelId.SumColumns => RowKernels.SumColumns,
        KernelId.ExpandLast => RowKernels.ExpandLast,
        KernelId.Tile => RowKernels.Tile,
        KernelId.LayerNorm => NormalizationKernels.LayerNorm,
        KernelId.LayerNormInverseDeviation => NormalizationKernels.LayerNormScale,
        KernelId.LayerNormBackward => NormalizationKernels.LayerNormBackward,
        KernelId.SwapAxes => MovementKernels.SwapAxes,
        KernelId.CopyBlocks => MovementKernels.CopyBlocks,
        KernelId.CausalMask => MovementKernels.CausalMask,
        KernelId.Gather => RowKernels.Gather,
        KernelId.ScatterAdd => RowKernels.ScatterAdd,
        KernelId.Softmax => RowKernels.Softmax,
        KernelId.SplitHeads => AttentionKernels.SplitHeads,
        KernelId.MergeHeads => AttentionKernels.MergeHeads,
        KernelId.CausalSoftmax => AttentionKernels.CausalSoftmax,
        KernelId.LogSoftmax => RowKernels.LogSoftmax,
        KernelId.CrossEntropy => RowKernels.CrossEntropy,
        KernelId.CrossEntropyBackward => RowKernels.CrossEntropyGrad,
        KernelId.Accuracy => RowKernels.Accuracy,
        KernelId.OneHot => RowKernels.OneHot,
        _ => throw new System.ArgumentOutOfRangeException(nameof(kernel), kernel, "no OpenCL library kernel for this kernel id"),
    };
}
