using System;
using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// The register-blocked kernels of one library (the tiled GEMM and the tiled convolution's three
/// passes) instantiated at its block side, so that ILGPU compiles each with the side a constant
/// and the sums in registers (<see cref="IRegisterBlock"/>).
/// </summary>
/// <param name="Gemm"><see cref="IlgpuGemmKernels.Gemm{TBlock}"/>.</param>
/// <param name="ConvolutionForward"><see cref="IlgpuTiledConvolutionKernels.Forward{TBlock}"/>.</param>
/// <param name="ConvolutionInputGrad"><see cref="IlgpuTiledConvolutionKernels.InputGrad{TBlock}"/>.</param>
/// <param name="ConvolutionWeightGrad"><see cref="IlgpuTiledConvolutionKernels.WeightGrad{TBlock}"/>.</param>
internal sealed record IlgpuTiledKernelSet(
    Action<int, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments> Gemm,
    Action<int, ArrayView<float>, ArrayView<float>, ArrayView<float>, IlgpuConvolutionShape, IlgpuTiledConvolution> ConvolutionForward,
    Action<int, ArrayView<float>, ArrayView<float>, ArrayView<float>, IlgpuConvolutionShape, IlgpuTiledConvolution> ConvolutionInputGrad,
    Action<int, ArrayView<float>, ArrayView<float>, ArrayView<float>, IlgpuConvolutionShape, IlgpuTiledConvolution> ConvolutionWeightGrad)
{
    /// <summary>Whether <paramref name="side"/> has an instantiation: 1, 2 or 4.</summary>
    public static bool Supports(int side) => side is 1 or 2 or 4;

    /// <summary>The kernels for blocks of <paramref name="side"/> × <paramref name="side"/> outputs per thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="side"/> is not one <see cref="Supports"/> accepts.</exception>
    public static IlgpuTiledKernelSet For(int side) => side switch
    {
        1 => Of<RegisterBlock1>(),
        2 => Of<RegisterBlock2>(),
        4 => Of<RegisterBlock4>(),
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "A register block's side is 1, 2 or 4."),
    };

    private static IlgpuTiledKernelSet Of<TBlock>()
        where TBlock : struct, IRegisterBlock =>
        new(
            IlgpuGemmKernels.Gemm<TBlock>,
            IlgpuTiledConvolutionKernels.Forward<TBlock>,
            IlgpuTiledConvolutionKernels.InputGrad<TBlock>,
            IlgpuTiledConvolutionKernels.WeightGrad<TBlock>);
}
