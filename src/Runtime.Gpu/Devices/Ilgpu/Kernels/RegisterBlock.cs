using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// The side × side sums one thread of a tiled kernel (the GEMM, the tiled convolution) accumulates,
/// as named fields of a struct the kernel is generic over, so that ILGPU keeps them in registers
/// (issue 17). An array of sums (<c>LocalMemory.Allocate</c>) indexed by a loop counter went to
/// local memory, off-chip on a GPU, with a load and a store per multiply-add: ILGPU 1.5.3 does not
/// unroll such loops, so the indices never become constants its SSA construction could resolve.
/// Each sum adds its products in the order of the steps along k, as the array did.
/// </summary>
internal interface IRegisterBlock
{
    /// <summary>The block's side: 1, 2 or 4.</summary>
    int Side { get; }

    /// <summary>sum[i, j] += a[aStart + i·aStride]·b[bStart + j·bStride] for every i, j below the side: one step along k.</summary>
    void Accumulate(ArrayView<float> a, int aStart, int aStride, ArrayView<float> b, int bStart, int bStride);

    /// <summary>Hands every sum to <paramref name="output"/>, column by column.</summary>
    void Store<TOutput>(ref TOutput output)
        where TOutput : struct, IBlockOutput;
}

/// <summary>
/// Where a kernel writes a thread's block of sums (its bounds checks and addresses), a column at a
/// time, so that a column's address parts (a division, in the convolution) are worked out once.
/// </summary>
internal interface IBlockOutput
{
    /// <summary>Moves to column <paramref name="j"/> of the thread's block, before that column's writes.</summary>
    void Column(int j);

    /// <summary>Writes sum[<paramref name="i"/>, current column] of the thread's block, if that output exists.</summary>
    void Write(int i, float sum);
}

/// <summary>One sum per thread.</summary>
internal struct RegisterBlock1 : IRegisterBlock
{
    private float _s00;

    /// <inheritdoc/>
    public readonly int Side => 1;

    /// <inheritdoc/>
    public void Accumulate(ArrayView<float> a, int aStart, int aStride, ArrayView<float> b, int bStart, int bStride)
    {
        _s00 += a[aStart] * b[bStart];
    }

    /// <inheritdoc/>
    public readonly void Store<TOutput>(ref TOutput output)
        where TOutput : struct, IBlockOutput
    {
        output.Column(0);
        output.Write(0, _s00);
    }
}

/// <summary>Blocks of 2 × 2 sums.</summary>
internal struct RegisterBlock2 : IRegisterBlock
{
    private float _s00, _s01;
    private float _s10, _s11;

    /// <inheritdoc/>
    public readonly int Side => 2;

    /// <inheritdoc/>
    public void Accumulate(ArrayView<float> a, int aStart, int aStride, ArrayView<float> b, int bStart, int bStride)
    {
        float a0 = a[aStart], a1 = a[aStart + aStride];
        float b0 = b[bStart], b1 = b[bStart + bStride];
        _s00 += a0 * b0;
        _s01 += a0 * b1;
        _s10 += a1 * b0;
        _s11 += a1 * b1;
    }

    /// <inheritdoc/>
    public readonly void Store<TOutput>(ref TOutput output)
        where TOutput : struct, IBlockOutput
    {
        output.Column(0);
        output.Write(0, _s00);
        output.Write(1, _s10);
        output.Column(1);
        output.Write(0, _s01);
        output.Write(1, _s11);
    }
}

/// <summary>Blocks of 4 × 4 sums (the GPU tiling's).</summary>
internal struct RegisterBlock4 : IRegisterBlock
{
    private float _s00, _s01, _s02, _s03;
    private float _s10, _s11, _s12, _s13;
    private float _s20, _s21, _s22, _s23;
    private float _s30, _s31, _s32, _s33;

    /// <inheritdoc/>
    public readonly int Side => 4;

    /// <inheritdoc/>
    public void Accumulate(ArrayView<float> a, int aStart, int aStride, ArrayView<float> b, int bStart, int bStride)
    {
        float a0 = a[aStart], a1 = a[aStart + aStride], a2 = a[aStart + (2 * aStride)], a3 = a[aStart + (3 * aStride)];
        float b0 = b[bStart], b1 = b[bStart + bStride], b2 = b[bStart + (2 * bStride)], b3 = b[bStart + (3 * bStride)];
        _s00 += a0 * b0;
        _s01 += a0 * b1;
        _s02 += a0 * b2;
        _s03 += a0 * b3;
        _s10 += a1 * b0;
        _s11 += a1 * b1;
        _s12 += a1 * b2;
        _s13 += a1 * b3;
        _s20 += a2 * b0;
        _s21 += a2 * b1;
        _s22 += a2 * b2;
        _s23 += a2 * b3;
        _s30 += a3 * b0;
        _s31 += a3 * b1;
        _s32 += a3 * b2;
        _s33 += a3 * b3;
    }

    /// <inheritdoc/>
    public readonly void Store<TOutput>(ref TOutput output)
        where TOutput : struct, IBlockOutput
    {
        output.Column(0);
        output.Write(0, _s00);
        output.Write(1, _s10);
        output.Write(2, _s20);
        output.Write(3, _s30);
        output.Column(1);
        output.Write(0, _s01);
        output.Write(1, _s11);
        output.Write(2, _s21);
        output.Write(3, _s31);
        output.Column(2);
        output.Write(0, _s02);
        output.Write(1, _s12);
        output.Write(2, _s22);
        output.Write(3, _s32);
        output.Column(3);
        output.Write(0, _s03);
        output.Write(1, _s13);
        output.Write(2, _s23);
        output.Write(3, _s33);
    }
}
