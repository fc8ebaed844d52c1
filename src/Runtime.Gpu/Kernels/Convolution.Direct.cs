using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dsl.Kernels;

// Issue 19: the direct convolution for stride 1 with AVX-512, no receptive-field
// columns at all. One example's image is copied once into a zero-padded scratch [C, Hp, Wp]; an
// output position (oy, ox) is then the flat index q = oy·Wp + ox of that grid, and tap (c, i, j)
// reads the padded image at q + c·Hp·Wp + i·dh·Wp + j·dw: every tap is one fixed offset, so 32
// consecutive positions are two contiguous vector loads straight from the image (the columns
// ox ≥ OW of each grid row are computed and dropped). An 8×32 register tile (8 output channels ×
// 32 positions) sums the taps as the GEMM's micro-kernel sums its depth, with the image in place of
// a packed B panel. The input gradient is the same product over the output gradient padded by
// d·(k−1) − p with the weights flipped and transposed; the weight gradient sums, per (output
// channel, tap), the output gradient laid on the same grid (zero in the dropped columns) times the
// padded image at the tap's offset, 16 lanes of positions at a time, in 4×4 register tiles.
// When OW is a multiple of the tile's width (32 for the forward tile, 16 for the weight gradient's
// lanes) the tiles run row by row instead: no dropped columns, the product stored straight into
// the output and ȳ read where it lies (issue 19, the residual stack's 32×32 images).
public static unsafe partial class Convolution
{
    /// <summary>Positions per register tile: two Vector512 of floats.</summary>
    private const int DirectTileWidth = 32;

    /// <summary>Output rows (channels) per register tile of the forward product.</summary>
    private const int DirectTileRows = 8;

    /// <summary>Output channels and taps per register tile of the weight gradient (4×4 accumulators).</summary>
    private const int WeightTileSide = 4;

    /// <summary>Whether the direct kernels take this geometry: stride 1 and AVX-512 (else im2col and the GEMM).</summary>
    private static bool DirectFits(in Geometry g) =>
        Vector512.IsHardwareAccelerated && g.StrideHeight == 1 && g.StrideWidth == 1;

    /// <summary>
    /// Whether the input gradient's direct product fits: the padding it needs, d·(k−1) − p, must not
    /// be negative (a forward padding wider than the kernel's reach would need a crop instead).
    /// </summary>
    private static bool DirectInputGradientFits(in Geometry g) =>
        DirectFits(g)
        && g.PadHeight <= g.DilationHeight * (g.KernelHeight - 1)
        && g.PadWidth <= g.DilationWidth * (g.KernelWidth - 1);

    /// <summary>
    /// A zero-padded source [channels, height, width] → [channels, Hp, Wp] and the grid of a
    /// stride-1 product over it: <see cref="OutHeight"/> rows of Wp positions, <see cref="OutWidth"/>
    /// of them kept, the count rounded up to whole tiles.
    /// </summary>
    private readonly struct DirectGrid
    {
        public readonly int Channels, Height, Width, PadHeight, PadWidth;
        public readonly int RowLength, Plane, OutHeight, OutWidth, Positions, SourceSize;

        /// <param name="channels">Channels of the source.</param>
        /// <param name="height">Rows of the source.</param>
        /// <param name="width">Columns of the source.</param>
        /// <param name="padHeight">Zero rows above and below.</param>
        /// <param name="padWidth">Zero columns left and right.</param>
        /// <param name="reachHeight">dh·(kh − 1): how far below its position a tap reads.</param>
        /// <param name="reachWidth">dw·(kw − 1): how far right of its position a tap reads.</param>
        public DirectGrid(int channels, int height, int width, int padHeight, int padWidth, int reachHeight, int reachWidth)
        {
            (Channels, Height, Width, PadHeight, PadWidth) = (channels, height, width, padHeight, padWidth);
            RowLength = width + 2 * padWidth;
            Plane = checked((height + 2 * padHeight) * RowLength);
            OutHeight = height + 2 * padHeight - reachHeight;
            OutWidth = RowLength - reachWidth;
            int used = OutHeight * RowLength;
            Positions = (used + DirectTileWidth - 1) / DirectTileWidth * DirectTileWidth;
            // The last tile's farthest tap reads up to (C−1)·plane + reachHeight·Wp + reachWidth + Positions,
            // which is C·plane + reachWidth + (Positions − used) since (OutHeight + reachHeight)·Wp is the plane.
            SourceSize = checked(channels * Plane + reachWidth + Positions - used);
        }

        /// <summary>The source's floats: channels · height · width.</summary>
        public int SourceImageSize => Channels * Height * Width;
    }

    /// <summary>The per-thread scratch of the direct kernels.</summary>
    private static class DirectScratch
    {
        [ThreadStatic]
        private static AlignedBuffer? t_padded;

        [ThreadStatic]
        private static AlignedBuffer? t_grid;

        [ThreadStatic]
        private static AlignedBuffer? t_accumulators;

        [ThreadStatic]
        private static AlignedBuffer? t_plan;

        /// <summary>A worker's padded source.</summary>
        public static AlignedBuffer Padded => t_padded ??= new AlignedBuffer();

        /// <summary>A worker's product on the grid (forward, input gradient) or output gradient on the grid (weight gradient).</summary>
        public static AlignedBuffer Grid => t_grid ??= new AlignedBuffer();

        /// <summary>A worker's weight-gradient lane sums.</summary>
        public static AlignedBuffer Accumulators => t_accumulators ??= new AlignedBuffer();

        /// <summary>The calling thread's packed weights and tap offsets, read by every worker of the call.</summary>
        public static AlignedBuffer Plan => t_plan ??= new AlignedBuffer();
    }

    /// <summary>
    /// The shared operands of a direct product: weights packed as [row block][tap][8 rows] (zero
    /// in rows past the last) and, after them in the same buffer, each tap's offset into the padded source.
    /// </summary>
    private readonly struct DirectPlan
    {
        public readonly float* Weights;
        public readonly int* Offsets;
        public readonly int Taps, RowBlocks;

        public DirectPlan(float* weights, int* offsets, int taps, int rowBlocks)
        {
            Weights = weights;
            Offsets = offsets;
            Taps = taps;
            RowBlocks = rowBlocks;
        }

        /// <summary>Room for a plan of <paramref name="rows"/> rows and <paramref name="taps"/> taps in the calling thread's scratch.</summary>
        public static DirectPlan Allocate(int rows, int taps, int tapsRoundedTo)
        {
            int blocks = (rows + DirectTileRows - 1) / DirectTileRows;
            int weights = checked(blocks * DirectTileRows * taps);
            int offsets = (taps + tapsRoundedTo - 1) / tapsRoundedTo * tapsRoundedTo;
            float* start = DirectScratch.Plan.Ensure(checked(weights + offsets));
            return new DirectPlan(start, (int*)(start + weights), taps, blocks);
        }
    }

    /// <summary>The forward pass on the direct path: <see cref="Forward"/>'s contract, stride 1.</summary>
    private static void DirectForward(float* x, float* w, float* y, int batch, in Fused f, GemmEpilogue? epilogue)
    {
        Geometry g = f.G;
        var grid = new DirectGrid(g.Channels, g.Height, g.Width, g.PadHeight, g.PadWidth,
            g.DilationHeight * (g.KernelHeight - 1), g.DilationWidth * (g.KernelWidth - 1));
        DirectPlan plan = DirectPlan.Allocate(f.OutChannels, f.Taps, 1);
        // W[o, t] with t = (c·kh + i)·kw + j reads the padded image at c·plane + i·dh·Wp + j·dw.
        for (int o = 0; o < plan.RowBlocks * DirectTileRows; o++)
            for (int t = 0; t < f.Taps; t++)
                plan.Weights[(o / DirectTileRows * f.Taps + t) * DirectTileRows + o % DirectTileRows] = o < f.OutChannels ? w[(long)o * f.Taps + t] : 0f;
        for (int c = 0, t = 0; c < g.Channels; c++)
            for (int i = 0; i < g.KernelHeight; i++)
                for (int j = 0; j < g.KernelWidth; j++, t++)
                    plan.Offsets[t] = c * grid.Plane + i * g.DilationHeight * grid.RowLength + j * g.DilationWidth;
        var kernel = new DirectExamples { Source = x, Target = y, Grid = grid, Plan = plan, Rows = f.OutChannels, Epilogue = epilogue };
        RowSplit.Run(kernel, batch, f.Work);
    }

    /// <summary>
    /// The input gradient on the direct path: x̄[c, y, x] = Σ_{o,i',j'} W[o, c, kh−1−i', kw−1−j']·ȳp[o, y + i'·dh, x + j'·dw],
    /// ȳp the output gradient padded by d·(k−1) − p on each side.
    /// </summary>
    private static void DirectInputGradient(float* dy, float* w, float* dx, int batch, in Fused f)
    {
        Geometry g = f.G;
        int reachHeight = g.DilationHeight * (g.KernelHeight - 1), reachWidth = g.DilationWidth * (g.KernelWidth - 1);
        var grid = new DirectGrid(f.OutChannels, g.OutHeight, g.OutWidth, reachHeight - g.PadHeight, reachWidth - g.PadWidth, reachHeight, reachWidth);
        int kernelArea = g.KernelHeight * g.KernelWidth, taps = f.OutChannels * kernelArea;
        DirectPlan plan = DirectPlan.Allocate(g.Channels, taps, 1);
        for (int c = 0; c < plan.RowBlocks * DirectTileRows; c++)
            for (int o = 0, t = 0; o < f.OutChannels; o++)
                for (int i = 0; i < g.KernelHeight; i++)
                    for (int j = 0; j < g.KernelWidth; j++, t++)
                    {
                        int flipped = ((c * g.KernelHeight) + g.KernelHeight - 1 - i) * g.KernelWidth + g.KernelWidth - 1 - j;
                        plan.Weights[(c / DirectTileRows * taps + t) * DirectTileRows + c % DirectTileRows] =
                            c < g.Channels ? w[(long)o * f.Taps + flipped] : 0f;
                        if (c == 0)
                            plan.Offsets[t] = o * grid.Plane + i * g.DilationHeight * grid.RowLength + j * g.DilationWidth;
                    }
        var kernel = new DirectExamples { Source = dy, Target = dx, Grid = grid, Plan = plan, Rows = g.Channels };
        RowSplit.Run(kernel, batch, f.Work);
    }

    /// <summary>
    /// The weight gradient's runs on the direct path: run r of <paramref name="runs"/> sums its
    /// examples into partial r, [out, taps] (see <see cref="WeightGradient"/>).
    /// </summary>
    private static void DirectWeightGradient(float* dy, float* x, float* partials, int batch, int runs, in Fused f)
    {
        Geometry g = f.G;
        var grid = new DirectGrid(g.Channels, g.Height, g.Width, g.PadHeight, g.PadWidth,
            g.DilationHeight * (g.KernelHeight - 1), g.DilationWidth * (g.KernelWidth - 1));
        DirectPlan plan = DirectPlan.Allocate(0, f.Taps, WeightTileSide);
        int t = 0;
        for (int c = 0; c < g.Channels; c++)
            for (int i = 0; i < g.KernelHeight; i++)
                for (int j = 0; j < g.KernelWidth; j++, t++)
                    plan.Offsets[t] = c * grid.Plane + i * g.DilationHeight * grid.RowLength + j * g.DilationWidth;
        // The taps past the last make up a whole tile: they read the image's start and are dropped.
        for (; t % WeightTileSide != 0; t++)
            plan.Offsets[t] = 0;
        var kernel = new DirectWeightGradientRuns { Dy = dy, X = x, Partials = partials, Grid = grid, Plan = plan, F = f, Batch = batch, Runs = runs };
        RowSplit.Run(kernel, runs, f.Work * batch / runs);
    }

    /// <summary>
    /// Units are examples: the source padded into the worker's scratch, then the product, [rows,
    /// OH·OW] per example, then the epilogue (forward only) on it while it is in cache. When whole tiles make up each output row (OW a multiple of 32) the tiles
    /// run row by row and store straight into the target: no dropped columns are computed and
    /// nothing is copied. Otherwise the tiles run over the flat grid into the worker's scratch and
    /// the kept positions are copied out. Each output is the same sum over the taps in the same
    /// order either way, so the two paths give the same bits.
    /// </summary>
    private struct DirectExamples : IRowKernel
    {
        public float* Source, Target;
        public DirectGrid Grid;
        public DirectPlan Plan;
        public int Rows;
        public GemmEpilogue? Epilogue;

        public readonly void Execute(int start, int end)
        {
            DirectGrid grid = Grid;
            DirectPlan plan = Plan;
            float* padded = DirectScratch.Padded.Ensure(grid.SourceSize);
            bool rowTiles = grid.OutWidth % DirectTileWidth == 0;
            float* product = rowTiles
                ? DirectScratch.Grid.Ensure(DirectTileRows * DirectTileWidth)
                : DirectScratch.Grid.Ensure(checked(plan.RowBlocks * DirectTileRows * grid.Positions));
            int outputSize = Rows * grid.OutHeight * grid.OutWidth;
            for (int e = start; e < end; e++)
            {
                Pad(Source + (long)e * grid.SourceImageSize, padded, grid);
                if (rowTiles)
                {
                    RowTiles(padded, Target + (long)e * outputSize, product, grid, plan, Rows);
                }
                else
                {
                    for (int q = 0; q < grid.Positions; q += DirectTileWidth)
                        for (int b = 0; b < plan.RowBlocks; b++)
                            DirectTile(plan.Taps, plan.Weights + (long)b * plan.Taps * DirectTileRows, plan.Offsets, padded + q,
                                product + (long)b * DirectTileRows * grid.Positions + q, grid.Positions);
                    KeepPositions(product, Target + (long)e * outputSize, Rows, grid);
                }

                Epilogue?.Invoke(e * Rows * grid.OutHeight, (e + 1) * Rows * grid.OutHeight, 0, grid.OutWidth);
            }
        }
    }

    /// <summary>
    /// One example's product when OW is a multiple of the tile's width: the tile at (oy, ox) reads
    /// the padded source from oy·Wp + ox and stores into target[r, oy·OW + ox]; a row block past
    /// <paramref name="rows"/> goes through <paramref name="spare"/> (8×32) and keeps its first rows.
    /// </summary>
    private static void RowTiles(float* padded, float* target, float* spare, in DirectGrid grid, in DirectPlan plan, int rows)
    {
        int plane = grid.OutHeight * grid.OutWidth;
        for (int oy = 0; oy < grid.OutHeight; oy++)
            for (int ox = 0; ox < grid.OutWidth; ox += DirectTileWidth)
            {
                float* source = padded + (oy * grid.RowLength) + ox;
                for (int b = 0; b < plan.RowBlocks; b++)
                {
                    float* weights = plan.Weights + (long)b * plan.Taps * DirectTileRows;
                    float* output = target + ((long)b * DirectTileRows * plane) + (oy * grid.OutWidth) + ox;
                    int kept = Math.Min(DirectTileRows, rows - (b * DirectTileRows));
                    if (kept == DirectTileRows)
                    {
                        DirectTile(plan.Taps, weights, plan.Offsets, source, output, plane);
                        continue;
                    }

                    DirectTile(plan.Taps, weights, plan.Offsets, source, spare, DirectTileWidth);
                    for (int r = 0; r < kept; r++)
                        CopyRun(spare + (r * DirectTileWidth), output + ((long)r * plane), DirectTileWidth);
                }
            }
    }

    /// <summary>
    /// Units are the fixed runs of examples: run r sums, lane by lane, ȳ[e] on the grid times the
    /// padded x[e] at each tap's offset over its examples in order, then each lane vector's sum into partial r.
    /// </summary>
    private struct DirectWeightGradientRuns : IRowKernel
    {
        public float* Dy, X, Partials;
        public DirectGrid Grid;
        public DirectPlan Plan;
        public Fused F;
        public int Batch, Runs;

        public readonly void Execute(int start, int end)
        {
            DirectGrid grid = Grid;
            Fused f = F;
            int outBlocks = (f.OutChannels + WeightTileSide - 1) / WeightTileSide;
            int tapBlocks = (f.Taps + WeightTileSide - 1) / WeightTileSide;
            int tileFloats = WeightTileSide * WeightTileSide * Vector512<float>.Count;
            float* padded = DirectScratch.Padded.Ensure(grid.SourceSize);
            float* lanes = DirectScratch.Accumulators.Ensure(checked(outBlocks * tapBlocks * tileFloats));
            int outputSize = (int)f.OutputSize, size = (int)f.WeightSize;
            // ȳ read where it lies, row by row, when its rows are whole vectors and its channels whole
            // tiles; else laid on the grid first (zero in the dropped columns and the rows past the last).
            bool rows = grid.OutWidth % Vector512<float>.Count == 0 && f.OutChannels % WeightTileSide == 0;
            float* dyGrid = rows ? null : DirectScratch.Grid.Ensure(checked(outBlocks * WeightTileSide * grid.Positions));
            int plane = grid.OutHeight * grid.OutWidth;
            for (int r = start; r < end; r++)
            {
                int first = (int)((long)r * Batch / Runs), last = (int)((long)(r + 1) * Batch / Runs);
                new Span<float>(lanes, outBlocks * tapBlocks * tileFloats).Clear();
                for (int e = first; e < last; e++)
                {
                    Pad(X + (long)e * grid.SourceImageSize, padded, grid);
                    if (!rows)
                        SpreadOnGrid(Dy + (long)e * outputSize, dyGrid, f.OutChannels, outBlocks * WeightTileSide, grid);
                    for (int ob = 0; ob < outBlocks; ob++)
                        for (int tb = 0; tb < tapBlocks; tb++)
                        {
                            float* tile = lanes + (long)(ob * tapBlocks + tb) * tileFloats;
                            if (rows)
                                WeightTile(Dy + (long)e * outputSize + (long)ob * WeightTileSide * plane, plane, padded, Plan.Offsets + tb * WeightTileSide,
                                    tile, grid.OutHeight, grid.OutWidth, grid.RowLength);
                            else
                                WeightTile(dyGrid + (long)ob * WeightTileSide * grid.Positions, grid.Positions, padded, Plan.Offsets + tb * WeightTileSide,
                                    tile, 1, grid.Positions, grid.Positions);
                        }
                }

                float* partial = Partials + (long)r * size;
                for (int o = 0; o < f.OutChannels; o++)
                    for (int t = 0; t < f.Taps; t++)
                    {
                        int tile = (o / WeightTileSide * tapBlocks) + t / WeightTileSide;
                        int lane = (o % WeightTileSide * WeightTileSide) + t % WeightTileSide;
                        partial[(long)o * f.Taps + t] = Vector512.Sum(Vector512.Load(lanes + (long)tile * tileFloats + lane * Vector512<float>.Count));
                    }
            }
        }
    }

    /// <summary>Copies source [C, H, W] into padded [C, Hp, Wp] with zeros around it and in the slack after it.</summary>
    private static void Pad(float* source, float* padded, in DirectGrid grid)
    {
        new Span<float>(padded, grid.SourceSize).Clear();
        for (int c = 0; c < grid.Channels; c++)
        {
            float* from = source + (long)c * grid.Height * grid.Width;
            float* to = padded + (long)c * grid.Plane + grid.PadHeight * grid.RowLength + grid.PadWidth;
            for (int y = 0; y < grid.Height; y++, from += grid.Width, to += grid.RowLength)
                CopyRun(from, to, grid.Width);
        }
    }

    /// <summary>target[r, oy·OW + ox] = product[r, oy·Wp + ox] for the kept positions (ox &lt; OW) of the first <paramref name="rows"/> rows.</summary>
    private static void KeepPositions(float* product, float* target, int rows, in DirectGrid grid)
    {
        for (int r = 0; r < rows; r++)
        {
            float* from = product + (long)r * grid.Positions;
            for (int oy = 0; oy < grid.OutHeight; oy++, from += grid.RowLength, target += grid.OutWidth)
                CopyRun(from, target, grid.OutWidth);
        }
    }

    /// <summary>
    /// <see cref="KeepPositions"/>'s transpose: dyGrid[o, oy·Wp + ox] = dy[o, oy·OW + ox], zero in
    /// the dropped columns, past the last position and in the rows from <paramref name="outChannels"/> to <paramref name="rows"/>.
    /// </summary>
    private static void SpreadOnGrid(float* dy, float* dyGrid, int outChannels, int rows, in DirectGrid grid)
    {
        new Span<float>(dyGrid, rows * grid.Positions).Clear();
        for (int o = 0; o < outChannels; o++)
        {
            float* to = dyGrid + (long)o * grid.Positions;
            for (int oy = 0; oy < grid.OutHeight; oy++, dy += grid.OutWidth, to += grid.RowLength)
                CopyRun(dy, to, grid.OutWidth);
        }
    }

    /// <summary>
    /// target[r, 0:32] = Σ_t weights[t·8 + r]·source[offsets[t] + 0:32] for r &lt; 8: the GEMM's 8×32
    /// micro-kernel with each depth step's B row read from the padded image at the tap's offset.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DirectTile(int taps, float* weights, int* offsets, float* source, float* target, nint ldt)
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        float* a = weights;
        for (int t = 0; t < taps; t++, a += DirectTileRows)
        {
            float* b = source + offsets[t];
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            Vector512<float> a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            Vector512<float> a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
            Vector512<float> a6 = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
            Vector512<float> a7 = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
        }

        StoreRow(target, c00, c01);
        StoreRow(target + ldt, c10, c11);
        StoreRow(target + 2 * ldt, c20, c21);
        StoreRow(target + 3 * ldt, c30, c31);
        StoreRow(target + 4 * ldt, c40, c41);
        StoreRow(target + 5 * ldt, c50, c51);
        StoreRow(target + 6 * ldt, c60, c61);
        StoreRow(target + 7 * ldt, c70, c71);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* target, Vector512<float> low, Vector512<float> high)
    {
        Vector512.Store(low, target);
        Vector512.Store(high, target + 16);
    }

    /// <summary>
    /// lanes[(r·4 + s)·16 + l] += Σ over positions of dy[r·channelStride + y·width + x]·source[offsets[s] + y·rowLength + x],
    /// x ≡ l (mod 16), for 4 output channels r and 4 taps s: a 4×4 tile of the weight gradient, lane
    /// sums kept apart. ȳ's rows are <paramref name="width"/> long and contiguous, the source's
    /// <paramref name="rowLength"/> apart (the flat grid is one row of all its positions).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightTile(float* dy, nint channelStride, float* source, int* offsets, float* lanes, int height, int width, int rowLength)
    {
        const int V = 16;
        Vector512<float> a00 = Vector512.Load(lanes), a01 = Vector512.Load(lanes + V), a02 = Vector512.Load(lanes + 2 * V), a03 = Vector512.Load(lanes + 3 * V);
        Vector512<float> a10 = Vector512.Load(lanes + 4 * V), a11 = Vector512.Load(lanes + 5 * V), a12 = Vector512.Load(lanes + 6 * V), a13 = Vector512.Load(lanes + 7 * V);
        Vector512<float> a20 = Vector512.Load(lanes + 8 * V), a21 = Vector512.Load(lanes + 9 * V), a22 = Vector512.Load(lanes + 10 * V), a23 = Vector512.Load(lanes + 11 * V);
        Vector512<float> a30 = Vector512.Load(lanes + 12 * V), a31 = Vector512.Load(lanes + 13 * V), a32 = Vector512.Load(lanes + 14 * V), a33 = Vector512.Load(lanes + 15 * V);
        float* d0 = dy, d1 = dy + channelStride, d2 = dy + 2 * channelStride, d3 = dy + 3 * channelStride;
        float* x0 = source + offsets[0], x1 = source + offsets[1], x2 = source + offsets[2], x3 = source + offsets[3];
        for (int y = 0; y < height; y++, d0 += width, d1 += width, d2 += width, d3 += width, x0 += rowLength, x1 += rowLength, x2 += rowLength, x3 += rowLength)
            for (int q = 0; q < width; q += V)
            {
                Vector512<float> s0 = Vector512.Load(x0 + q), s1 = Vector512.Load(x1 + q), s2 = Vector512.Load(x2 + q), s3 = Vector512.Load(x3 + q);
                Vector512<float> r0 = Vector512.Load(d0 + q);
                a00 = Vector512.FusedMultiplyAdd(r0, s0, a00);
                a01 = Vector512.FusedMultiplyAdd(r0, s1, a01);
                a02 = Vector512.FusedMultiplyAdd(r0, s2, a02);
                a03 = Vector512.FusedMultiplyAdd(r0, s3, a03);
                Vector512<float> r1 = Vector512.Load(d1 + q);
                a10 = Vector512.FusedMultiplyAdd(r1, s0, a10);
                a11 = Vector512.FusedMultiplyAdd(r1, s1, a11);
                a12 = Vector512.FusedMultiplyAdd(r1, s2, a12);
                a13 = Vector512.FusedMultiplyAdd(r1, s3, a13);
                Vector512<float> r2 = Vector512.Load(d2 + q);
                a20 = Vector512.FusedMultiplyAdd(r2, s0, a20);
                a21 = Vector512.FusedMultiplyAdd(r2, s1, a21);
                a22 = Vector512.FusedMultiplyAdd(r2, s2, a22);
                a23 = Vector512.FusedMultiplyAdd(r2, s3, a23);
                Vector512<float> r3 = Vector512.Load(d3 + q);
                a30 = Vector512.FusedMultiplyAdd(r3, s0, a30);
                a31 = Vector512.FusedMultiplyAdd(r3, s1, a31);
                a32 = Vector512.FusedMultiplyAdd(r3, s2, a32);
                a33 = Vector512.FusedMultiplyAdd(r3, s3, a33);
            }

        Vector512.Store(a00, lanes);
        Vector512.Store(a01, lanes + V);
        Vector512.Store(a02, lanes + 2 * V);
        Vector512.Store(a03, lanes + 3 * V);
        Vector512.Store(a10, lanes + 4 * V);
        Vector512.Store(a11, lanes + 5 * V);
        Vector512.Store(a12, lanes + 6 * V);
        Vector512.Store(a13, lanes + 7 * V);
        Vector512.Store(a20, lanes + 8 * V);
        Vector512.Store(a21, lanes + 9 * V);
        Vector512.Store(a22, lanes + 10 * V);
        Vector512.Store(a23, lanes + 11 * V);
        Vector512.Store(a30, lanes + 12 * V);
        Vector512.Store(a31, lanes + 13 * V);
        Vector512.Store(a32, lanes + 14 * V);
        Vector512.Store(a33, lanes + 15 * V);
    }
}
