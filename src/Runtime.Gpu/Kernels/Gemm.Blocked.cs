using System;
using System.Runtime.CompilerServices;

namespace Dsl.Kernels;

// The blocked driver. Loops, outermost first (BLIS's names):
//   jc over n in NC columns    op(B) panel of KC x NC, packed once, lives in L3
//   pc over k in KC            the depth of one packed panel pair
//   ic over m in MCPack rows   op(A) block of MCPack x KC, packed once
//     [parallel] pack the A micro-panels (and, at ic = 0, the B micro-panels)
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
        // Whole micro-panels of the largest block: MCPack is not a multiple of the AVX2 tile's 6 rows.
        job.PackedA = job.ABuffer.Ensure(RoundUp(Math.Min(o.M, MCPack), mr) * kcMax);
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

                    // B is packed once per (jc, pc) and reused by every row block.
                    int packCount = job.APanels + (ic == 0 ? job.BPanels : 0);
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

    /// <summary>Runs the micro-kernel for one MR×NR tile; partial tiles go through <paramref name="tile"/> so the kernel never branches on edges.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(int kc, float* a, float* b, float* c, int ldc, int rows, int cols, bool add, float* tile)
    {
        int mr = MR, nr = NR;
        if (rows == mr && cols == nr)
        {
            MicroKernel(kc, a, b, c, ldc, add);
            return;
        }

        MicroKernel(kc, a, b, tile, nr, add: false);
        for (int r = 0; r < rows; r++)
        {
            float* source = tile + r * nr;
            float* target = c + (long)r * ldc;
            for (int j = 0; j < cols; j++)
                target[j] = add ? target[j] + source[j] : source[j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroKernel(int kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        if (Use512)
            Kernel8x32(kc, a, b, c, ldc, add);
        else
            Kernel6x16(kc, a, b, c, ldc, add);
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
        public bool Add, PackB;

        private BlockedJob()
        {
            PackBody = Pack;
            ComputeBody = Compute;
        }

        public static BlockedJob ForCurrentThread => t_job ??= new BlockedJob();

        /// <summary>Packs micro-panels [start, end): B's first (when this round packs B), then A's.</summary>
        public void Pack(int start, int end)
        {
            int bPanels = PackB ? BPanels : 0;
            for (int index = start; index < end; index++)
            {
                if (index < bPanels)
                    PackBPanel(Operands, Pc, Kc, Jc, Nc, index, PackedB);
                else
                    PackAPanel(Operands, Ic, Mc, Pc, Kc, index - bPanels, PackedA);
            }
        }

        /// <summary>Computes tasks [start, end) of the grid: TaskRows rows × one of ColumnSplits ranges of B micro-panels.</summary>
        public void Compute(int start, int end)
        {
            float* tile = stackalloc float[MaxTileFloats];
            int mr = MR, nr = NR, kc = Kc, ldc = Operands.N;
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
                        Tile(kc, PackedA + (long)i * kc, b, c, ldc, Math.Min(mr, Mc - i), cols, Add, tile);
                }
            }
        }
    }
}
