using System;
using System.Runtime.CompilerServices;

namespace Dsl.Kernels;

// The blocked driver's shared-panel rounds, for products split over cores whose A is packed
// (Gemm.PacksA): the grid of Gemm.Blocked.cs gives every task its own columns, so every task packs
// the whole A again (eight times per depth block at 2048³ on two threads, reading A from memory each
// time). Here each depth block is two fork-joins instead:
//   pack    the tasks pack disjoint runs of B micro-panels into one buffer all threads read
//   rows    the tasks take disjoint runs of 128-row blocks, pack each block of A once, and sweep it
//           over all the round's B micro-panels (as one thread does)
// so A and B are each packed once. The depth blocks and each tile's sums are those of the grid, so
// C is bit-identical to it and to one thread.
public static unsafe partial class Gemm
{
    /// <summary>Shared-panel rounds need at least this many row blocks per thread, so the row tasks still balance.</summary>
    private const int SharedMinimumBlocksPerThread = 2;

    private sealed partial class BlockedJob
    {
        /// <summary>The pack phase's task body (<see cref="PackShared"/>), created once.</summary>
        public readonly Action<int, int> PackBody;

        /// <summary>The row phase's task body (<see cref="ComputeRows"/>), created once.</summary>
        public readonly Action<int, int> RowBody;

        /// <summary>Whether this round runs as shared-panel rounds (see the file's header).</summary>
        public bool SharedB;

        /// <summary>Tasks of the pack phase and of the row phase.</summary>
        public int PackSplits, RowBlockSplits;

        /// <summary>The depth block the two phases work on now.</summary>
        private int _pc, _kc;

        /// <summary>The packed B micro-panels of the current depth block, all threads' (owned by the calling thread's job).</summary>
        private float* _sharedB;

        private readonly AlignedBuffer _sharedPanels = new();

        private int RowBlocks => (Mc + BlockRows - 1) / BlockRows;

        private static int BlockRows => TaskRowsTarget / MR * MR;

        /// <summary>
        /// Chooses shared-panel rounds when the round is split over cores, its A would be packed by
        /// each column task (<see cref="PacksA"/> over all its panels), and there are enough row
        /// blocks to give every thread several.
        /// </summary>
        public void StartSharedRound(int threads, int wanted)
        {
            SharedB = threads > 1
                && RowBlocks >= SharedMinimumBlocksPerThread * threads
                && PacksA(Operands, Layout, Mc, ColumnPanels);
            if (!SharedB)
                return;
            PackSplits = Math.Min(ColumnPanels, wanted);
            RowBlockSplits = Math.Min(RowBlocks, wanted);
        }

        /// <summary>Runs the round depth block by depth block, each a pack phase and a row phase.</summary>
        public void ComputeShared()
        {
            _sharedB = _sharedPanels.Ensure(ColumnPanels * NR * KcMax);
            for (int pc = 0; pc < Operands.K; pc += KcMax)
            {
                _pc = pc;
                _kc = Math.Min(KcMax, Operands.K - pc);
                CpuParallel.For(PackSplits, 1, PackBody);
                CpuParallel.For(RowBlockSplits, 1, RowBody);
            }
        }

        /// <summary>Packs the B micro-panels of pack tasks [start, end) of the current depth block.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void PackShared(int start, int end)
        {
            Operands o = Operands;
            int nr = NR, kc = _kc;
            for (int task = start; task < end; task++)
            {
                int panelStart = (int)((long)task * ColumnPanels / PackSplits);
                int panelEnd = (int)((long)(task + 1) * ColumnPanels / PackSplits);
                float* packedB = _sharedB + (long)panelStart * nr * kc;
                if (o.TransposeB)
                {
                    for (int panel = panelStart; panel < panelEnd; panel++)
                        PackBPanel(o, _pc, kc, Jc, Nc, panel, packedB + (long)(panel - panelStart) * nr * kc);
                }
                else
                {
                    PackBRows(o, _pc, kc, Jc, Nc, panelStart, panelEnd, packedB);
                }
            }
        }

        /// <summary>Runs row tasks [start, end) of the current depth block: each packs its row blocks of A and sweeps them over all the B micro-panels.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void ComputeRows(int start, int end)
        {
            float* tile = stackalloc float[MaxTileFloats];
            int blockRows = BlockRows, blocks = RowBlocks;
            float* packedA = PackBuffers.ForCurrentThread.A.Ensure(blockRows * KcMax);
            for (int task = start; task < end; task++)
            {
                int first = (int)((long)task * blocks / RowBlockSplits);
                int last = (int)((long)(task + 1) * blocks / RowBlockSplits);
                for (int block = first; block < last; block++)
                {
                    int blockStart = block * blockRows;
                    SweepRowBlock(_sharedB, 0, ColumnPanels, blockStart, Math.Min(Mc, blockStart + blockRows), _pc, _kc, packA: true, packedA, tile);
                }
            }
        }
    }
}
