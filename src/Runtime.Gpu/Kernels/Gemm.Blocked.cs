using System;
using System.Runtime.CompilerServices;

namespace Dsl.Kernels;

// The blocked driver. Loops, outermost first (BLIS's names):
//   jc over n in NC columns
//   ic over m in MC rows
//     [parallel] a grid of tasks, each a range of rows x a range of NR-column B micro-panels:
//       pc over k in KC              the task packs its own B micro-panels (KC x NR each)
//         over its rows in TaskRows  an L2-sized block of A, read in place or packed (PacksA)
//           jr over its B panels     one KC x NR micro-panel stays in L1
//             ir over rows in MR     A streams from L2
//               micro-kernel
// A is read in place unless it is long and wide (PacksA); each task packs only the A and B it reads, so a round is one
// fork-join with no barrier between packing and computing. The grid splits columns first, so a
// B micro-panel is packed twice only when there are fewer panels than tasks. A round split over
// cores whose A is packed runs as shared-panel rounds instead (Gemm.SharedPanels.cs): B packed
// once into a buffer all tasks read, the tasks split by row blocks, each block of A packed once.
// KC, NC and the row blocks follow the caches the processor reports (Gemm.Caches.cs).
public static unsafe partial class Gemm
{
    /// <summary>
    /// Depth of a depth block (KC), from the caches the processor reports (<see cref="DepthFor(int, int?)"/>):
    /// 512 where the L2 holds a 128-row block of A that deep in a quarter of itself (1 MB and larger L2s:
    /// Zen 4 and 5, Sapphire Rapids), else what the L1 holds of a B micro-panel, at most 256.
    /// </summary>
    private static readonly int KC = DepthFor(DataCacheBytes(level: 1) ?? DefaultL1Bytes, DataCacheBytes(level: 2));

    /// <summary>A task packs its A row blocks only when it sweeps them over at least this many B micro-panels (see <see cref="PacksA"/>).</summary>
    private const int PackAMinimumPanels = 8;

    /// <summary>A row of A at least this many floats (4 KB) long: its MR rows read in place share L1 sets.</summary>
    private const int PackAMinimumRowFloats = 1024;

    /// <summary>A task packs A only from this depth on (a thinner A block is cheaper read in place; see <see cref="PacksA"/>).</summary>
    private const int PackAMinimumDepth = 256;

    /// <summary>The deepest depth block: a 512-deep B micro-panel is 64 KB with AVX-512, streamed from L2.</summary>
    private const int MaxDepth = 512;

    /// <summary>KC for an L1 of <paramref name="l1Bytes"/>: a B micro-panel no larger than it, in steps of 16, within [64, 256].</summary>
    internal static int DepthFor(int l1Bytes) => Math.Clamp(l1Bytes / (NR * sizeof(float)) / 16 * 16, 64, 256);

    /// <summary>
    /// KC for an L1 of <paramref name="l1Bytes"/> and an L2 of <paramref name="l2Bytes"/> (null: not
    /// reported): deeper than the L1 allows (<see cref="DepthFor(int)"/>) when a row block of A
    /// (TaskRowsTarget rows × KC) fits in a quarter of the L2, up to <see cref="MaxDepth"/>. The
    /// micro-kernel streams its B panel from L2 at full speed (bench/RESULTS.md, issue 20 item 2:
    /// 8x32 at 99% of the probe with KC 128, 256 and 512), and each depth block costs a pass over C
    /// and a round of packing, so a deeper block makes large products faster (512 against 256 on
    /// Zen 4: +3-5% at 1024³ and 2048³). The depth block sets the summation order, so it is a
    /// property of the processor, never of the thread count.
    /// </summary>
    internal static int DepthFor(int l1Bytes, int? l2Bytes)
    {
        int fromL1 = DepthFor(l1Bytes);
        if (l2Bytes is not int l2)
            return fromL1;
        int fromL2 = l2 / 4 / (TaskRowsTarget * sizeof(float)) / 16 * 16;
        return Math.Clamp(fromL2, fromL1, MaxDepth);
    }

    /// <summary>Columns per round, at most: KC×NC floats of packed B (8 MB at KC 512) are swept from L3 (<see cref="ColumnsFor"/>).</summary>
    private const int MaxColumns = 4096;

    /// <summary>
    /// Columns per round: as many as keep the round's packed B (KC×NC floats) within half the L3
    /// the processor reports, in whole groups of 256 columns, at most <see cref="MaxColumns"/>.
    /// </summary>
    private static readonly int NC = ColumnsFor(DataCacheBytes(level: 3), KC);

    /// <summary>
    /// Rows per round. Each round packs the B it reads again, and the row blocks of TaskRowsTarget
    /// already keep A in L2, so a round takes all the rows of any product the models make (it was
    /// 1024: a 2048-row product packed its B twice).
    /// </summary>
    private const int MC = 8192;

    /// <summary>Rows a task sweeps its B panels over at a time: 128×KC floats of A (256 KB at KC 512) stay in L2.</summary>
    private const int TaskRowsTarget = 128;

    /// <summary>Products of at least this many multiply-adds (m·n·k) are split across cores.</summary>
    private const long ParallelWork = 1L << 20;

    /// <summary>Tasks per thread in the grid, so uneven tasks still balance.</summary>
    private const int TasksPerThread = 4;

    /// <summary>The largest micro-tile (8×32 with AVX-512; 6×16 otherwise), for the edge-tile buffer.</summary>
    private const int MaxTileFloats = 8 * 32;

    /// <summary>NC for an L3 of <paramref name="l3Bytes"/> (null: not reported, then <see cref="MaxColumns"/>) and depth blocks of <paramref name="depth"/>.</summary>
    internal static int ColumnsFor(int? l3Bytes, int depth) =>
        l3Bytes is int l3 ? Math.Clamp(l3 / 2 / (depth * sizeof(float)) / 256 * 256, 256, MaxColumns) : MaxColumns;

    private static void MultiplyBlocked(in Operands o)
    {
        BlockedJob job = BlockedJob.ForCurrentThread;
        int threads = CpuParallel.MaxConcurrency > 1 && (long)o.M * o.N * o.K >= ParallelWork ? CpuParallel.MaxConcurrency : 1;
        // The depth is cut into equal blocks of at most KC (784 = 2 x 392, not 512 + 272): a
        // thin last block would pay a whole round of packing and C traffic for little work.
        int kBlocks = (o.K + KC - 1) / KC;
        job.Operands = o;
        job.Layout = ChooseALayout(o);
        job.KcMax = (o.K + kBlocks - 1) / kBlocks;

        for (int jc = 0; jc < o.N; jc += NC)
        {
            for (int ic = 0; ic < o.M; ic += MC)
            {
                job.StartRound(ic, Math.Min(MC, o.M - ic), jc, Math.Min(NC, o.N - jc), threads);
                int tasks = job.RowSplits * job.ColumnSplits;
                if (job.SharedB)
                    job.ComputeShared();
                else if (tasks > 1)
                    CpuParallel.For(tasks, 1, job.Body);
                else
                    job.Compute(0, tasks);
            }
        }
    }

    /// <summary>
    /// How the micro-kernel reads op(A). Packing A would cost a pass over it per depth block, a
    /// tenth of the work for products short along n (the transformer's and the MLPs' [tokens × 128]
    /// ones), while the kernel can read the same floats where they are; read in place, only a last
    /// micro-panel of fewer than MR rows is packed (zero-padded), so the kernel never reads past A.
    /// </summary>
    private enum ALayout
    {
        /// <summary>A packed micro-panel: MR floats per depth step.</summary>
        Packed,

        /// <summary>A stored k×m (op(A) = Aᵀ): the MR rows of one depth step are MR consecutive floats of A, m apart.</summary>
        InPlaceColumns,

        /// <summary>A stored m×k: each of the MR rows is a contiguous run along the depth.</summary>
        InPlaceRows,
    }

    /// <summary>
    /// Whether a round's tasks pack their A row blocks (see <see cref="ALayout"/>): only for a
    /// long A (what the kernel reads in place 4 KB or more apart, the MR rows of A or the depth
    /// steps of Aᵀ, so its lines map to the same few L1 sets and crowd out the B panel) of at least
    /// one whole row block and 256 deep (or KC where that is shallower), swept over at least eight
    /// B panels so the copy is repaid. Measured on Zen 4 (bench/RESULTS.md, GEMM section):
    /// 1024³ and 2048³ gain a few percent; with 32 rows or a depth of 32 (the MLP's batch-32
    /// products) packing was slower, and below 4 KB rows reading in place was as fast (2026-12-01).
    /// </summary>
    private static bool PacksA(in Operands o, ALayout layout, int rows, int panelsPerTask)
    {
        long rowFloats = layout == ALayout.InPlaceColumns ? o.M : o.K;
        return panelsPerTask >= PackAMinimumPanels && rows >= TaskRowsTarget && o.K >= Math.Min(KC, PackAMinimumDepth) && rowFloats >= PackAMinimumRowFloats;
    }

    /// <summary>
    /// The in-place layout of op(A), for the rounds that do not pack it (<see cref="PacksA"/>).
    /// Measured against packing it (bench/RESULTS.md, 2026-12-01): 2-8% faster on one thread at
    /// every shape benchmarked then (none had rows 4 KB apart and eight panels per task).
    /// </summary>
    private static ALayout ChooseALayout(in Operands o) => o.TransposeA ? ALayout.InPlaceColumns : ALayout.InPlaceRows;

    /// <summary>
    /// Runs the micro-kernel for one MR×NR tile, its A read in <paramref name="layout"/> (lda: A's
    /// row length, for the in-place layouts); partial tiles go through <paramref name="tile"/> so
    /// the kernel never branches on edges.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(int kc, float* a, ALayout layout, nint lda, float* b, float* c, int ldc, int rows, int cols, bool add, float* tile)
    {
        int mr = MR, nr = NR;
        if (rows == mr && cols == nr)
        {
            MicroKernel(kc, a, layout, lda, b, c, ldc, add);
            return;
        }

        MicroKernel(kc, a, layout, lda, b, tile, nr, add: false);
        for (int r = 0; r < rows; r++)
        {
            float* source = tile + r * nr;
            float* target = c + (long)r * ldc;
            for (int j = 0; j < cols; j++)
                target[j] = add ? target[j] + source[j] : source[j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroKernel(int kc, float* a, ALayout layout, nint lda, float* b, float* c, nint ldc, bool add)
    {
        if (Use512)
        {
            if (layout == ALayout.InPlaceRows)
                Kernel8x32Rows(kc, a, lda, b, c, ldc, add);
            else
                Kernel8x32(kc, a, layout == ALayout.Packed ? 8 : lda, b, c, ldc, add);
        }
        else
        {
            if (layout == ALayout.InPlaceRows)
                Kernel6x16Rows(kc, a, lda, b, c, ldc, add);
            else
                Kernel6x16(kc, a, layout == ALayout.Packed ? 6 : lda, b, c, ldc, add);
        }
    }

    /// <summary>A thread's packing space: the B micro-panels of the task it runs, and its A row block (or one partial A micro-panel).</summary>
    private sealed class PackBuffers
    {
        [ThreadStatic]
        private static PackBuffers? t_buffers;

        public readonly AlignedBuffer A = new();
        public readonly AlignedBuffer B = new();

        public static PackBuffers ForCurrentThread => t_buffers ??= new PackBuffers();
    }

    /// <summary>
    /// One calling thread's blocked-GEMM state: the current round's block and task grid, and the
    /// task body handed to <see cref="CpuParallel"/>, created once.
    /// </summary>
    private sealed partial class BlockedJob
    {
        [ThreadStatic]
        private static BlockedJob? t_job;

        public readonly Action<int, int> Body;

        public Operands Operands;
        public ALayout Layout;
        public int KcMax;
        public int Ic, Mc, Jc, Nc;
        public int RowPanels, ColumnPanels, RowSplits, ColumnSplits;

        /// <summary>Whether this round's tasks pack their A row blocks (see <see cref="PackAMinimumPanels"/>).</summary>
        public bool PackA;

        private BlockedJob()
        {
            Body = Compute;
            PackBody = PackShared;
            RowBody = ComputeRows;
        }

        public static BlockedJob ForCurrentThread => t_job ??= new BlockedJob();

        /// <summary>Sets the round's block and cuts it into a grid of up to TasksPerThread tasks per thread, columns first.</summary>
        public void StartRound(int ic, int mc, int jc, int nc, int threads)
        {
            Ic = ic;
            Mc = mc;
            Jc = jc;
            Nc = nc;
            RowPanels = (mc + MR - 1) / MR;
            ColumnPanels = (nc + NR - 1) / NR;
            int wanted = threads == 1 ? 1 : threads * TasksPerThread;
            ColumnSplits = Math.Min(ColumnPanels, wanted);
            // Rows are split too only when there are fewer than two column tasks per thread: a
            // row split packs its B panels again (an n = 128 product has four panels, enough).
            RowSplits = ColumnSplits >= 2 * threads ? 1 : Math.Min(RowPanels, (wanted + ColumnSplits - 1) / ColumnSplits);
            PackA = PacksA(Operands, Layout, mc, ColumnPanels / ColumnSplits);
            StartSharedRound(threads, wanted);
        }

        /// <summary>Computes tasks [start, end) of the grid, each packing its own B micro-panels depth block by depth block.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Compute(int start, int end)
        {
            PackBuffers buffers = PackBuffers.ForCurrentThread;
            float* tile = stackalloc float[MaxTileFloats];
            Operands o = Operands;
            int mr = MR, nr = NR, blockRows = TaskRowsTarget / mr * mr;
            bool packA = PackA;
            for (int task = start; task < end; task++)
            {
                int rowSplit = task / ColumnSplits, split = task % ColumnSplits;
                int panelStart = (int)((long)split * ColumnPanels / ColumnSplits);
                int panelEnd = (int)((long)(split + 1) * ColumnPanels / ColumnSplits);
                int rowStart = (int)((long)rowSplit * RowPanels / RowSplits) * mr;
                int rowEnd = Math.Min(Mc, (int)((long)(rowSplit + 1) * RowPanels / RowSplits) * mr);
                // Read in place, only a last micro-panel of fewer than MR rows is packed; packed, a
                // whole row block is, depth block by depth block.
                int fullRows = Mc / mr * mr;
                float* packedB = buffers.B.Ensure((panelEnd - panelStart) * nr * KcMax);
                float* packedA = packA ? buffers.A.Ensure(blockRows * KcMax) : rowEnd > fullRows ? buffers.A.Ensure(mr * KcMax) : null;

                for (int pc = 0; pc < o.K; pc += KcMax)
                {
                    int kc = Math.Min(KcMax, o.K - pc);
                    if (o.TransposeB)
                    {
                        for (int panel = panelStart; panel < panelEnd; panel++)
                            PackBPanel(o, pc, kc, Jc, Nc, panel, packedB + (long)(panel - panelStart) * nr * kc);
                    }
                    else
                    {
                        PackBRows(o, pc, kc, Jc, Nc, panelStart, panelEnd, packedB);
                    }
                    if (!packA && packedA is not null)
                        PackAPanel(o, Ic, Mc, pc, kc, fullRows / mr, packedA);

                    for (int blockStart = rowStart; blockStart < rowEnd; blockStart += blockRows)
                        SweepRowBlock(packedB, panelStart, panelEnd, blockStart, Math.Min(rowEnd, blockStart + blockRows), pc, kc, packA, packedA, tile);
                }
            }
        }

        /// <summary>
        /// Runs rows [<paramref name="blockStart"/>, <paramref name="blockEnd"/>) of the round (one row
        /// block, A packed into <paramref name="packedA"/> first when <paramref name="packA"/>) over B
        /// micro-panels [<paramref name="panelStart"/>, <paramref name="panelEnd"/>), packed from
        /// <paramref name="packedB"/> on, for depth block [pc, pc+kc); after the last depth block,
        /// hands the finished block of C to the epilogue.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void SweepRowBlock(float* packedB, int panelStart, int panelEnd, int blockStart, int blockEnd, int pc, int kc, bool packA, float* packedA, float* tile)
        {
            Operands o = Operands;
            int mr = MR, nr = NR, ldc = o.N;
            nint lda = Layout == ALayout.InPlaceColumns ? o.M : o.K;
            bool add = o.Accumulate || pc > 0;
            if (packA)
            {
                for (int i = blockStart; i < blockEnd; i += mr)
                    PackAPanel(o, Ic, Mc, pc, kc, i / mr, packedA + (long)(i - blockStart) * kc);
            }

            for (int panel = panelStart; panel < panelEnd; panel++)
            {
                int j = panel * nr;
                int cols = Math.Min(nr, Nc - j);
                float* b = packedB + (long)(panel - panelStart) * nr * kc;
                float* c = o.C + (long)(Ic + blockStart) * ldc + Jc + j;
                for (int i = blockStart; i < blockEnd; i += mr, c += (long)mr * ldc)
                {
                    int rows = Math.Min(mr, Mc - i);
                    if (packA)
                    {
                        Tile(kc, packedA + (long)(i - blockStart) * kc, ALayout.Packed, mr, b, c, ldc, rows, cols, add, tile);
                    }
                    else if (rows == mr)
                    {
                        float* a = Layout == ALayout.InPlaceColumns
                            ? o.A + (long)pc * o.M + Ic + i
                            : o.A + (long)(Ic + i) * o.K + pc;
                        Tile(kc, a, Layout, lda, b, c, ldc, mr, cols, add, tile);
                    }
                    else
                    {
                        Tile(kc, packedA, ALayout.Packed, mr, b, c, ldc, rows, cols, add, tile);
                    }
                }
            }

            // After the last depth block the row block is final: hand it on while it is in L2, as
            // whole row segments (tile by tile, its other operands would be read in short strided
            // pieces that the prefetchers do not follow).
            if (pc + kc == o.K)
                o.Epilogue?.Invoke(Ic + blockStart, Ic + blockEnd, Jc + panelStart * nr, Jc + Math.Min(Nc, panelEnd * nr));
        }
    }
}
