using System;
using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// The fused convolution and its two gradients as tiled implicit GEMMs (issues 17/19),
/// the algorithm of <c>convolution_tiled.cl</c> in ILGPU C#: C[m, n] = Σ_k A(m, k)·B(k, n) with B
/// gathered from the image (or ȳ) while it is staged, zero in the padding.
/// <list type="bullet">
/// <item>forward: m an output channel, n = (example, position), k a tap (ch, i, j); A = W, B = x at the tap of the position;</item>
/// <item>input gradient: m an input channel, n = (example, pixel), k = (oc, i, j); A = W, B = ȳ at the position that reads the pixel through (i, j);</item>
/// <item>weight gradient: m an output channel, n a tap, k = (example, position) in slices; A = ȳ, B = x at the tap of the position.</item>
/// </list>
/// A group of (tile / block) × rows threads computes a (rows·block) × tile block of C, each thread
/// block × block outputs strided by the group's sides, summed in registers (the kernels are generic over
/// the block, an <see cref="IRegisterBlock"/>); for each <see cref="TiledConvolution.TileK"/>
/// step along k the group stages A's and B's slices in shared memory. B's address is a column part
/// plus a row part, worked out once per column and once per step per row (the row parts of the next
/// step after the group multiplies, in <c>convolution_tiled.cl</c>'s order), so staging divides by nothing but the stride; a part out of range
/// is <see cref="Outside"/>, which keeps its sum with the other part negative. No atomics: each output
/// has one owner, and the weight gradient's slices are added in order by <see cref="SumSlices"/>.
/// The groups of a bounded grid take the blocks in turn (block w: column tile w mod tilesN, row tile
/// (w / tilesN) mod tilesM, slice w / (tilesN·tilesM)); every thread of a group runs the same
/// iterations, so the barriers stay uniform.
/// </summary>
internal static class IlgpuTiledConvolutionKernels
{
    /// <summary>The largest tile (columns of a block of C) the shared arrays hold.</summary>
    public const int MaxTile = 64;

    /// <summary>An address part out of range: its sum with any other part of an in-range geometry is negative.</summary>
    private const int Outside = -(1 << 28);

    private const int TileK = TiledConvolution.TileK;

    /// <summary>y[e, oc, p] = Σ_t W[oc, t]·x[e] at tap t of position p, for the first <paramref name="blocks"/> blocks.</summary>
    public static void Forward<TBlock>(int blocks, ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, IlgpuConvolutionShape s, IlgpuTiledConvolution g)
        where TBlock : struct, IRegisterBlock
    {
        Tiles tiles = Tiles.Allocate();
        int side = default(TBlock).Side;
        int positions = s.Oh * s.Ow, columns = g.Batch * positions, depth = s.RowWidth;
        for (int w = Grid.IdxX; w < blocks; w += Grid.DimX)
        {
            Block b = new(w, g, side);
            TBlock sums = default;
            for (int q = b.Id; q < g.Tile; q += b.Items)
                PositionPart(tiles.ColumnBase, tiles.ColumnTop, tiles.ColumnLeft, q, b.Column0 + q, columns, s, positions);
            for (int q = b.Id; q < TileK; q += b.Items)
                TapPart(tiles.RowBase, tiles.RowTop, tiles.RowLeft, q, q, depth, s);
            Group.Barrier();
            for (int t = 0; t < depth; t += TileK)
            {
                for (int q = b.Id; q < b.Rows * TileK; q += b.Items)
                {
                    int m = q / TileK, kk = q % TileK;
                    tiles.A[(kk * (MaxTile + 1)) + m] = b.Row0 + m < g.O && t + kk < depth ? weight[((b.Row0 + m) * depth) + t + kk] : 0f;
                }

                StageImage(tiles, x, s, b);
                Group.Barrier();
                Multiply(tiles, b, ref sums);
                for (int q = b.Id; q < TileK; q += b.Items)
                    TapPart(tiles.RowBase, tiles.RowTop, tiles.RowLeft, q, t + TileK + q, depth, s);
                Group.Barrier();
            }

            var result = new ImageOutput(y, b, g.O, columns, positions);
            sums.Store(ref result);
        }
    }

    /// <summary>x̄[e, ch, pixel] = Σ over (oc, i, j) of W[oc, (ch·kh + i)·kw + j]·ȳ[e, oc] at the position that reads the pixel through (i, j).</summary>
    public static void InputGrad<TBlock>(int blocks, ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> dx, IlgpuConvolutionShape s, IlgpuTiledConvolution g)
        where TBlock : struct, IRegisterBlock
    {
        Tiles tiles = Tiles.Allocate();
        int side = default(TBlock).Side;
        int pixels = s.H * s.W, positions = s.Oh * s.Ow, columns = g.Batch * pixels, depth = g.O * s.Kh * s.Kw;
        for (int w = Grid.IdxX; w < blocks; w += Grid.DimX)
        {
            Block b = new(w, g, side);
            TBlock sums = default;
            for (int q = b.Id; q < g.Tile; q += b.Items)
            {
                // Column n = (e, pixel): ȳ's example and the pixel plus the padding.
                int n = b.Column0 + q, e = n / pixels, pixel = n % pixels;
                tiles.ColumnBase[q] = n < columns ? e * g.O * positions : 0;
                tiles.ColumnTop[q] = n < columns ? (pixel / s.W) + s.Ph : Outside;
                tiles.ColumnLeft[q] = n < columns ? (pixel % s.W) + s.Pw : 0;
            }

            for (int q = b.Id; q < TileK; q += b.Items)
                TransposedTapPart(tiles, q, q, depth, s, positions);
            Group.Barrier();
            for (int t = 0; t < depth; t += TileK)
            {
                for (int q = b.Id; q < b.Rows * TileK; q += b.Items)
                {
                    int m = q / TileK, kk = q % TileK;
                    tiles.A[(kk * (MaxTile + 1)) + m] = b.Row0 + m < s.C && t + kk < depth ? weight[tiles.RowA[kk] + ((b.Row0 + m) * s.Kh * s.Kw)] : 0f;
                }

                for ((int kk, int nn) = (b.Staging.Row, b.Staging.Column); kk < TileK; b.Staging.Next(ref kk, ref nn))
                {
                    int rows = tiles.ColumnTop[nn] + tiles.RowTop[kk], cols = tiles.ColumnLeft[nn] + tiles.RowLeft[kk];
                    bool read = rows >= 0 && cols >= 0 && rows % s.Sh == 0 && cols % s.Sw == 0 && rows / s.Sh < s.Oh && cols / s.Sw < s.Ow;
                    tiles.B[(kk * (MaxTile + 1)) + nn] = read ? dy[tiles.ColumnBase[nn] + tiles.RowBase[kk] + (rows / s.Sh * s.Ow) + (cols / s.Sw)] : 0f;
                }

                Group.Barrier();
                Multiply(tiles, b, ref sums);
                for (int q = b.Id; q < TileK; q += b.Items)
                    TransposedTapPart(tiles, q, t + TileK + q, depth, s, positions);
                Group.Barrier();
            }

            var result = new ImageOutput(dx, b, s.C, columns, pixels);
            sums.Store(ref result);
        }
    }

    /// <summary>
    /// partial[slice, oc, t] = Σ over k = (e, p) in the slice's <see cref="IlgpuTiledConvolution.Span"/>
    /// of ȳ[e, oc, p]·x[e] at tap t of position p; <paramref name="partial"/> is W̄ itself with one slice.
    /// </summary>
    public static void WeightGrad<TBlock>(int blocks, ArrayView<float> dy, ArrayView<float> x, ArrayView<float> partial, IlgpuConvolutionShape s, IlgpuTiledConvolution g)
        where TBlock : struct, IRegisterBlock
    {
        Tiles tiles = Tiles.Allocate();
        int side = default(TBlock).Side;
        int positions = s.Oh * s.Ow, columns = s.RowWidth, terms = g.Batch * positions;
        for (int w = Grid.IdxX; w < blocks; w += Grid.DimX)
        {
            Block b = new(w, g, side);
            TBlock sums = default;
            int first = b.Slice * g.Span, end = Math.Min(terms, first + g.Span), output = b.Slice * g.O * columns;
            for (int q = b.Id; q < g.Tile; q += b.Items)
                TapPart(tiles.ColumnBase, tiles.ColumnTop, tiles.ColumnLeft, q, b.Column0 + q, columns, s);
            for (int q = b.Id; q < TileK; q += b.Items)
                TermPart(tiles, q, first + q, end, s, g, positions);
            Group.Barrier();
            for (int t = first; t < end; t += TileK)
            {
                for (int q = b.Id; q < b.Rows * TileK; q += b.Items)
                {
                    int m = q / TileK, kk = q % TileK;
                    tiles.A[(kk * (MaxTile + 1)) + m] = b.Row0 + m < g.O && t + kk < end ? dy[tiles.RowA[kk] + ((b.Row0 + m) * positions)] : 0f;
                }

                StageImage(tiles, x, s, b);
                Group.Barrier();
                Multiply(tiles, b, ref sums);
                for (int q = b.Id; q < TileK; q += b.Items)
                    TermPart(tiles, q, t + TileK + q, end, s, g, positions);
                Group.Barrier();
            }

            var result = new MatrixOutput(partial, b, output, g.O, columns);
            sums.Store(ref result);
        }
    }

    /// <summary>W̄[z] = Σ over the slices in order of partial[slice, z], for z below count: the weight gradient's second pass.</summary>
    public static void SumSlices(int count, ArrayView<float> partial, ArrayView<float> dw, int slices)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            float sum = partial[z];
            for (int slice = 1; slice < slices; slice++)
                sum += partial[(slice * count) + z];
            dw[z] = sum;
        }
    }

    /// <summary>The parts of image element (base, top, left) of term q = (e, p): the first pixel its window reads, or <see cref="Outside"/> from <paramref name="count"/>.</summary>
    private static void PositionPart(ArrayView<int> bases, ArrayView<int> tops, ArrayView<int> lefts, int slot, int q, int count, IlgpuConvolutionShape s, int positions)
    {
        int e = q / positions, p = q % positions;
        bases[slot] = q < count ? e * s.C * s.H * s.W : 0;
        tops[slot] = q < count ? (p / s.Ow * s.Sh) - s.Ph : Outside;
        lefts[slot] = q < count ? (p % s.Ow * s.Sw) - s.Pw : 0;
    }

    /// <summary>The parts of tap t = (ch, i, j): channel ch's plane and the window's offsets, or <see cref="Outside"/> from <paramref name="count"/>.</summary>
    private static void TapPart(ArrayView<int> bases, ArrayView<int> tops, ArrayView<int> lefts, int slot, int t, int count, IlgpuConvolutionShape s)
    {
        bases[slot] = t < count ? t / (s.Kh * s.Kw) * s.H * s.W : 0;
        tops[slot] = t < count ? t / s.Kw % s.Kh * s.Dh : Outside;
        lefts[slot] = t < count ? t % s.Kw * s.Dw : 0;
    }

    /// <summary>The weight gradient's row parts of term k = (e, p): the image's, and ȳ's element (e, oc = 0, p).</summary>
    private static void TermPart(Tiles tiles, int slot, int k, int end, IlgpuConvolutionShape s, IlgpuTiledConvolution g, int positions)
    {
        PositionPart(tiles.RowBase, tiles.RowTop, tiles.RowLeft, slot, k, end, s, positions);
        tiles.RowA[slot] = (k / positions * g.O * positions) + (k % positions);
    }

    /// <summary>
    /// The input gradient's row parts of k = (oc, i, j): oc's plane of ȳ and minus the window's
    /// offsets (the position is (pixel + padding − offset) / stride), and W's element (oc, ch = 0, i, j).
    /// </summary>
    private static void TransposedTapPart(Tiles tiles, int slot, int k, int count, IlgpuConvolutionShape s, int positions)
    {
        int taps = s.Kh * s.Kw, oc = k / taps, ij = k % taps;
        tiles.RowBase[slot] = k < count ? oc * positions : 0;
        tiles.RowTop[slot] = k < count ? -(ij / s.Kw * s.Dh) : Outside;
        tiles.RowLeft[slot] = k < count ? -(ij % s.Kw * s.Dw) : 0;
        tiles.RowA[slot] = k < count ? (oc * s.RowWidth) + ij : 0;
    }

    /// <summary>B[kk, nn] = x at (column part + row part), zero outside the image.</summary>
    private static void StageImage(Tiles tiles, ArrayView<float> x, IlgpuConvolutionShape s, Block b)
    {
        for ((int kk, int nn) = (b.Staging.Row, b.Staging.Column); kk < TileK; b.Staging.Next(ref kk, ref nn))
        {
            int yy = tiles.ColumnTop[nn] + tiles.RowTop[kk], xx = tiles.ColumnLeft[nn] + tiles.RowLeft[kk];
            tiles.B[(kk * (MaxTile + 1)) + nn] = yy >= 0 && yy < s.H && xx >= 0 && xx < s.W ? x[tiles.ColumnBase[nn] + tiles.RowBase[kk] + (yy * s.W) + xx] : 0f;
        }
    }

    /// <summary>The thread's sums += the group's slice of A times its slice of B.</summary>
    private static void Multiply<TBlock>(Tiles tiles, Block b, ref TBlock sums)
        where TBlock : struct, IRegisterBlock
    {
        for (int kk = 0; kk < TileK; kk++)
            sums.Accumulate(tiles.A, (kk * (MaxTile + 1)) + b.Ly, b.RowItems, tiles.B, (kk * (MaxTile + 1)) + b.Lx, b.ColumnItems);
    }

    /// <summary>A group's shared slices of A and B (rows of <see cref="MaxTile"/> + 1) and its address parts.</summary>
    private readonly struct Tiles(
        ArrayView<float> a, ArrayView<float> b, ArrayView<int> columnBase, ArrayView<int> columnTop, ArrayView<int> columnLeft,
        ArrayView<int> rowBase, ArrayView<int> rowTop, ArrayView<int> rowLeft, ArrayView<int> rowA)
    {
        public readonly ArrayView<float> A = a, B = b;
        public readonly ArrayView<int> ColumnBase = columnBase, ColumnTop = columnTop, ColumnLeft = columnLeft;
        public readonly ArrayView<int> RowBase = rowBase, RowTop = rowTop, RowLeft = rowLeft, RowA = rowA;

        /// <summary>The group's shared memory, once per kernel (the same calls in the same order on every thread).</summary>
        public static Tiles Allocate() => new(
            SharedMemory.Allocate<float>(TileK * (MaxTile + 1)),
            SharedMemory.Allocate<float>(TileK * (MaxTile + 1)),
            SharedMemory.Allocate<int>(MaxTile),
            SharedMemory.Allocate<int>(MaxTile),
            SharedMemory.Allocate<int>(MaxTile),
            SharedMemory.Allocate<int>(TileK),
            SharedMemory.Allocate<int>(TileK),
            SharedMemory.Allocate<int>(TileK),
            SharedMemory.Allocate<int>(TileK));
    }

    /// <summary>
    /// The calling thread's place in block w of a launch: its column and row in the group (whose
    /// sides are the column and row items), the block's first column and row and its slice.
    /// </summary>
    private readonly struct Block(int w, IlgpuTiledConvolution g, int side)
    {
        public readonly int Lx = Group.IdxX, Ly = Group.IdxY, ColumnItems = Group.DimX, RowItems = Group.DimY;
        public readonly int Items = Group.DimX * Group.DimY, Id = (Group.IdxY * Group.DimX) + Group.IdxX;
        public readonly int Rows = Group.DimY * side;
        public readonly int Column0 = w % g.ColumnTiles * g.Tile, Row0 = w / g.ColumnTiles % g.RowTiles * Group.DimY * side;
        public readonly int Slice = w / (g.ColumnTiles * g.RowTiles);

        /// <summary>The thread's elements (kk, nn) of B's TileK × tile slice.</summary>
        public readonly TileWalk Staging = new((Group.IdxY * Group.DimX) + Group.IdxX, Group.DimX * Group.DimY, g.Tile);
    }

    /// <summary>
    /// Sum (i, j) of a thread's block into output (e, m, q) of an image-shaped result (y or x̄:
    /// <paramref name="rows"/> channels of <paramref name="plane"/> positions or pixels per example),
    /// where column n = (e, q) and row m exist.
    /// </summary>
    private struct ImageOutput(ArrayView<float> result, Block b, int rows, int columns, int plane) : IBlockOutput
    {
        // The current column's example and position (or pixel); e is -1 past the last column.
        private int _e, _q;

        public void Column(int j)
        {
            int n = b.Column0 + b.Lx + (j * b.ColumnItems);
            _e = n < columns ? n / plane : -1;
            _q = n % plane;
        }

        public readonly void Write(int i, float sum)
        {
            int m = b.Row0 + b.Ly + (i * b.RowItems);
            if (_e >= 0 && m < rows)
                result[(((_e * rows) + m) * plane) + _q] = sum;
        }
    }

    /// <summary>Sum (i, j) of a thread's block into row m, column n of a row-major <paramref name="rows"/> × <paramref name="columns"/> matrix at <paramref name="start"/>, where both exist.</summary>
    private struct MatrixOutput(ArrayView<float> result, Block b, int start, int rows, int columns) : IBlockOutput
    {
        private int _n;

        public void Column(int j) => _n = b.Column0 + b.Lx + (j * b.ColumnItems);

        public readonly void Write(int i, float sum)
        {
            int m = b.Row0 + b.Ly + (i * b.RowItems);
            if (_n < columns && m < rows)
                result[start + (m * columns) + _n] = sum;
        }
    }
}

/// <summary>One tiled-convolution launch's sizes beyond the shape (one kernel argument).</summary>
/// <param name="O">Output channels.</param>
/// <param name="Batch">Examples.</param>
/// <param name="Tile">Columns of a block of C.</param>
/// <param name="Span">Terms of a weight-gradient slice (0 elsewhere).</param>
/// <param name="RowTiles">Row tiles of C (of the group's rows × block).</param>
/// <param name="ColumnTiles">Column tiles of C.</param>
internal readonly record struct IlgpuTiledConvolution(int O, int Batch, int Tile, int Span, int RowTiles, int ColumnTiles);
