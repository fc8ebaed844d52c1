using System;

namespace Dsl;

/// <summary>
/// The work split of the tiled device convolutions (issues 17/19), shared by the
/// OpenCL and ILGPU libraries so that both run the same algorithm: implicit GEMMs whose groups
/// compute a (rows × block) × tile block of the result, rows of output (or input) channels by a
/// tile of positions, pixels or taps (<c>convolution_tiled.cl</c>, <c>IlgpuTiledConvolutionKernels</c>).
/// </summary>
internal static class TiledConvolution
{
    /// <summary>The depth of a slice along k staged at a time (the GEMM's TILE_K).</summary>
    public const int TileK = 16;

    /// <summary>The least number of (example, position) terms a slice of the weight gradient sums.</summary>
    public const int MinSpan = 256;

    /// <summary>The most slices the weight gradient's sum over the batch and positions is cut into.</summary>
    public const int MaxSlices = 64;

    /// <summary>
    /// The rows of work-items of a group whose rows of the result are <paramref name="rows"/>
    /// channels: enough for them at <paramref name="block"/> each, at most <c>tile / block</c> and
    /// at most what a group of <paramref name="maxGroup"/> work-items holds beside its
    /// <c>tile / block</c> columns; 0 where not even one row fits.
    /// </summary>
    public static int RowItems(int rows, int tile, int block, long maxGroup)
    {
        int columns = tile / block;
        long fit = Math.Min(tile / block, maxGroup / columns);
        return (int)Math.Min(fit, (rows + block - 1) / block);
    }

    /// <summary>
    /// The weight gradient's cut of its <paramref name="terms"/> (batch × positions) terms: slices
    /// of <c>Span</c> terms each (a multiple of <see cref="TileK"/>, the last one shorter), summed
    /// in slice order by a second pass. It depends on the shape only, so the result's bits do not
    /// depend on the device's scheduling: one slice below 2 × <see cref="MinSpan"/> terms, then
    /// enough that each sums about <see cref="MinSpan"/>, at most <see cref="MaxSlices"/>.
    /// </summary>
    public static (int Slices, int Span) WeightGradSlices(int terms)
    {
        int slices = Math.Clamp(terms / MinSpan, 1, MaxSlices);
        int span = Math.Max(TileK, ((terms + slices - 1) / slices + TileK - 1) / TileK * TileK);
        return (Math.Max(1, (terms + span - 1) / span), span);
    }
}
