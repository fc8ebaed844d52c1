using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;

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

/// <summary>The library kernels, in the order a program's source lists them, and which op calls which.</summary>
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

    /// <summary>The kernel that computes <paramref name="node"/>: by its op, or for a matmul by its layout.</summary>
    public static LibraryKernel For(Node node, Graph graph)
    {
        if (node.Op != OpKind.MatMul)
            return For(node.Op);
        var layout = CSharp.MatMulLayout.Of(node, graph);
        if (layout.IsOneGemm)
            return layout.TransposeB ? GemmKernels.NT : GemmKernels.NN;
        return GemmKernels.Batched(layout.TransposeA, layout.TransposeB);
    }

    /// <summary>The kernel that computes <paramref name="op"/>.</summary>
    public static LibraryKernel For(OpKind op) => op switch
    {
        OpKind.Linear => GemmKernels.NT,
        OpKind.LinearTranspose => GemmKernels.NN,
        OpKind.OuterBatchSum => GemmKernels.TN,
        OpKind.Sum or OpKind.SumLast => RowKernels.SumRows,
        OpKind.BatchSum or OpKind.SumLeading => RowKernels.SumColumns,
        OpKind.ExpandLast => RowKernels.ExpandLast,
        OpKind.Tile => RowKernels.Tile,
        OpKind.LayerNorm => NormalizationKernels.LayerNorm,
        OpKind.LayerNormScale => NormalizationKernels.LayerNormScale,
        OpKind.LayerNormBackward => NormalizationKernels.LayerNormBackward,
        OpKind.Transpose => MovementKernels.SwapAxes,
        OpKind.Reshape or OpKind.Concat or OpKind.Slice => MovementKernels.CopyBlocks,
        OpKind.CausalMask => MovementKernels.CausalMask,
        OpKind.Gather => RowKernels.Gather,
        OpKind.ScatterAdd => RowKernels.ScatterAdd,
        OpKind.Softmax => RowKernels.Softmax,
        OpKind.SplitHeads => AttentionKernels.SplitHeads,
        OpKind.MergeHeads => AttentionKernels.MergeHeads,
        OpKind.CausalSoftmax => AttentionKernels.CausalSoftmax,
        OpKind.LogSoftmax => RowKernels.LogSoftmax,
        OpKind.CrossEntropy => RowKernels.CrossEntropy,
        OpKind.CrossEntropyGrad => RowKernels.CrossEntropyGrad,
        OpKind.Accuracy => RowKernels.Accuracy,
        OpKind.OneHot => RowKernels.OneHot,
        OpKind.MatMul => throw new System.ArgumentException("a matmul's kernel depends on its layout: ask For(node, graph)", nameof(op)),
        _ => throw new System.ArgumentOutOfRangeException(nameof(op), op, "no OpenCL library kernel for this op"),
    };
}
