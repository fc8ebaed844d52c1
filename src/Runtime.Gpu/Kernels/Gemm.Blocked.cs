using System;
using System.Runtime.CompilerServices;

namespace Dsl.Kernels;

// The blocked driver. Loops, outermost first (BLIS's names):
//   jc over n in NC columns    op(B) panel of KC x NC, packed once, lives in L3
//   pc over k in KC            the depth of one packed panel pair
//   ic over m in MCPack rows   op(A) block of MCPack x KC, read in place (ChooseALayout)
//     [parallel] pack the B micro-panels at ic = 0, and the A micro-panels that need it
//                (all of them in the packed layout, else a last one of fewer than MR rows)
//     [parallel] a grid of tasks, each MCTask rows x a range of B micro-panels:
//        jr over its B micro-panels     one KC x NR micro-panel stays in L1
//          ir over its rows in MR       A micro-panels stream from L2
//             micro-kernel
public static unsafe partial class Gemm
{
    /// <summary>Depth of a packed panel pair: a KC×NR B micro-panel (32 KB with AVX-512) stays in L1.</summary>
    private const int KC = 256;

    /// <summary>Columns of a packed B panel (KC×NC floats = 4 MB, comfortably inside L3).</summary>
    private const int NC = 4096;

    /// <summary>Rows of A packed per round (KC×MCPack floats = 1 MB shared by the threads).</summary>
    private const int MCPack = 1024;

    /// <summary>Rows per compute task: a 128×KC slice of packed A (128 KB) stays in L2 while the task sweeps its columns.</summary>
    private const int MCTaskTarget = 128;

    /// <summary>Products of at least this many multiply-adds (m·n·k) are split across cores.</summary>
    private const long ParallelWork = 1L << 20;

    /// <summary>Packing work (floats) below which a round's packing runs on the calling thread.</summary>
    private const int ParallelPackFloats = 1 << 15;

    /// <summary>Tasks per thread in the compute grid, so uneven tasks still balance.</summary>
    private const int TasksPerThread = 4;

    /// <summary>The largest micro-tile (8×32 with AVX-512; 6×16 otherwise), for the edge-tile buffer.</summary>
    private const int MaxTileFloats = 8 * 32;

    private static void MultiplyBlocked(in Operands o)
    {
        BlockedJob job = BlockedJob.ForCurrentThread;
        bool parallel = CpuParallel.MaxConcurrency > 1 && (long)o.M * o.N * o.K >= ParallelWork;
        int mr = MR, nr = NR;
        // The depth is cut into equal blocks of at most KC (784 = 4 x 196, not 3 x 256 + 16): a
        // thin last block would pay a whole round of packing and C traffic for little work.
        int kBlocks = (o.K + KC - 1) / KC;
        int kcMax = (o.K + kBlocks - 1) / kBlocks;
        job.Operands = o;
        job.ALayout = ChooseALayout(o);
        // Whole micro-panels of the largest block (MCPack is not a multiple of the AVX2 tile's 6
        // rows); read in place, A needs room for its one partial micro-panel only.
        job.PackedA = job.ABuffer.Ensure((job.ALayout == ALayout.Packed ? RoundUp(Math.Min(o.M, MCPack), mr) : mr) * kcMax);
        job.PackedB = job.BBuffer.Ensure(RoundUp(Math.Min(o.N, NC), nr) * kcMax);
        job.TaskRows = MCTaskTarget / mr * mr;

        for (int jc = 0; jc < o.N; jc += NC)
        {
            int nc = Math.Min(NC, o.N - jc);
            for (int pc = 0; pc < o.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, o.K - pc);
                for (int ic = 0; ic < o.M; ic += MCPack)
                {
                    int mc = Math.Min(MCPack, o.M - ic);
                    job.Ic = ic;
                    job.Mc = mc;
                    job.Jc = jc;
                    job.Nc = nc;
                    job.Pc = pc;
                    job.Kc = kc;
                    job.Add = o.Accumulate || pc > 0;
                    job.APanels = (mc + mr - 1) / mr;
                    job.BPanels = (nc + nr - 1) / nr;

                    // B is packed once per (jc, pc) and reused by every row block. A read in place
                    // still packs its last micro-panel when that one has fewer than MR rows.
                    job.APacked = job.ALayout == ALayout.Packed ? 0 : mc / mr;
                    int packCount = job.APanels - job.APacked + (ic == 0 ? job.BPanels : 0);
                    job.PackB = ic == 0;
                    if (parallel && (long)packCount * Math.Max(mr, nr) * kc >= ParallelPackFloats)
                        CpuParallel.For(packCount, 1, job.PackBody);
                    else
                        job.Pack(0, packCount);

                    int rowBlocks = (mc + job.TaskRows - 1) / job.TaskRows;
                    job.ColumnSplits = parallel
                        ? Math.Clamp((CpuParallel.MaxConcurrency * TasksPerThread + rowBlocks - 1) / rowBlocks, 1, job.BPanels)
                        : 1;
                    int tasks = rowBlocks * job.ColumnSplits;
                    if (parallel && tasks > 1)
                        CpuParallel.For(tasks, 1, job.ComputeBody);
                    else
                        job.Compute(0, tasks);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>
    /// How the micro-kernel reads op(A). Packing A costs a pass over it per depth block; when the
    /// product is short along n (the transformer's and MLP's [tokens x 128] products) that pass is a
    /// tenth of the work, while the kernel can read the same floats where they are.
    /// </summary>
    private enum ALayout
    {
        /// <summary>Packed micro-panels: MR floats per depth step.</summary>
        Packed,

        /// <summary>A stored k×m (op(A) = Aᵀ): the MR rows of one depth step are MR consecutive floats of A, m apart.</summary>
        InPlaceColumns,

        /// <summary>A stored m×k: each of the MR rows is a contiguous run along the depth (AVX-512 kernel only).</summary>
        InPlaceRows,
    }

    /// <summary>
    /// A is always read in place: a transposed A already holds the MR rows of each depth step
    /// side by side, and a row-major A gives the AVX-512 kernel eight contiguous rows. Measured
    /// against packing (bench/RESULTS.md, 2026-12-01): 2-8% faster on one thread at every
    /// benchmarked shape, up to 40% on two threads for the small products, never slower.
    /// </summary>
    private static ALayout ChooseALayout(in Operands o) =>
        o.TransposeA ? ALayout.InPlaceColumns : Use512 ? ALayout.InPlaceRows : ALayout.Packed;

    /// <summary>Runs the micro-kernel for one MR×NR tile; partial tiles go through <paramref name="tile"/> so the kernel never branches on edges.</summary>
    /// <param name="a">The tile's A: a packed micro-panel, or its first element in place.</param>
    /// <param name="layout">How <paramref name="a"/> is laid out (never <see cref="ALayout.InPlaceRows"/> without AVX-512).</param>
    /// <param name="lda">A's row length, for the in-place layouts.</param>
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
        if (layout == ALayout.InPlaceRows)
            Kernel8x32Rows(kc, a, lda, b, c, ldc, add);
        else if (Use512)
            Kernel8x32(kc, a, layout == ALayout.Packed ? 8 : lda, b, c, ldc, add);
        else
            Kernel6x16(kc, a, layout == ALayout.Packed ? 6 : lda, b, c, ldc, add);
    }

    /// <summary>
    /// One calling thread's blocked-GEMM state: its packing buffers, the current round's block
    /// coordinates, and the two loop bodies handed to <see cref="CpuParallel"/>, created once.
    /// </summary>
    private sealed class BlockedJob
    {
        [ThreadStatic]
        private static BlockedJob? t_job;

        public readonly AlignedBuffer ABuffer = new();
        public readonly AlignedBuffer BBuffer = new();
        public readonly Action<int, int> PackBody;
        public readonly Action<int, int> ComputeBody;

        public Operands Operands;
        public float* PackedA;
        public float* PackedB;
        public int Ic, Mc, Jc, Nc, Pc, Kc;
        public int APanels, BPanels, TaskRows, ColumnSplits;

        /// <summary>The first A micro-panel that is packed: 0 when A is packed, else the partial last one (or none).</summary>
        public int APacked;
        public ALayout ALayout;
        public bool Add, PackB;

        private BlockedJob()
        {
            PackBody = Pack;
            ComputeBody = Compute;
        }

        public static BlockedJob ForCurrentThread => t_job ??= new BlockedJob();

        /// <summary>Packs micro-panels [start, end): B's first (when this round packs B), then A's from <see cref="APacked"/> on.</summary>
        public void Pack(int start, int end)
        {
            int bPanels = PackB ? BPanels : 0;
            for (int index = start; index < end; index++)
            {
                if (index < bPanels)
                    PackBPanel(Operands, Pc, Kc, Jc, Nc, index, PackedB);
                else
                {
                    // In place, the one packed (partial) panel sits at the start of the buffer.
                    int panel = APacked + index - bPanels;
                    PackAPanel(Operands, Ic, Mc, Pc, Kc, panel, ALayout == ALayout.Packed ? PackedA : PackedA - (long)panel * MR * Kc);
                }
            }
        }

        /// <summary>Where the micro-kernel reads rows [i, i + MR) of this round's A block, and in which layout.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private float* ATile(int i, out ALayout layout)
        {
            if (ALayout == ALayout.Packed)
            {
                layout = ALayout.Packed;
                return PackedA + (long)i * Kc;
            }

            if (i / MR >= APacked)
            {
                layout = ALayout.Packed;
                return PackedA;
            }

            layout = ALayout;
            Operands o = Operands;
            return ALayout == ALayout.InPlaceColumns
                ? o.A + (long)Pc * o.M + Ic + i
                : o.A + (long)(Ic + i) * o.K + Pc;
        }

        /// <summary>Computes tasks [start, end) of the grid: TaskRows rows × one of ColumnSplits ranges of B micro-panels.</summary>
        public void Compute(int start, int end)
        {
            float* tile = stackalloc float[MaxTileFloats];
            int mr = MR, nr = NR, kc = Kc, ldc = Operands.N;
            nint lda = ALayout == ALayout.InPlaceColumns ? Operands.M : Operands.K;
            for (int task = start; task < end; task++)
            {
                int rowBlock = task / ColumnSplits, split = task % ColumnSplits;
                int rowStart = rowBlock * TaskRows, rowEnd = Math.Min(Mc, rowStart + TaskRows);
                int panelStart = (int)((long)split * BPanels / ColumnSplits);
                int panelEnd = (int)((long)(split + 1) * BPanels / ColumnSplits);
                for (int panel = panelStart; panel < panelEnd; panel++)
                {
                    int j = panel * nr;
                    int cols = Math.Min(nr, Nc - j);
                    float* b = PackedB + (long)panel * nr * kc;
                    float* c = Operands.C + (long)(Ic + rowStart) * ldc + Jc + j;
                    for (int i = rowStart; i < rowEnd; i += mr, c += (long)mr * ldc)
                    {
                        float* a = ATile(i, out ALayout layout);
                        Tile(kc, a, layout, lda, b, c, ldc, Math.Min(mr, Mc - i), cols, Add, tile);
                    }
                }
            }
        }
    }
}
