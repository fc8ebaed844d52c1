using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// C = op(A)·op(B) as a register-blocked, shared-memory-tiled GEMM (<c>gemm.cl</c>), for
/// accelerators without cuBLAS (the CPU accelerator, or CUDA when the device was allowed to fall
/// back). A group of items × items threads (items = tile / block) computes a tile × tile block of
/// one product's C at a time (the groups of a bounded grid take the blocks in turn, grid-stride),
/// each thread a block × block part of it strided by items, summed in registers (the kernel is generic
/// over the block, an <see cref="IRegisterBlock"/>); for each step of
/// <see cref="TileK"/> along k the group stages a slice of op(A) and of op(B) in shared memory
/// (rows padded by one float), read along each operand's stored rows. Out-of-range elements are
/// staged as zeros and out-of-range outputs are not written, so any m, n, k is correct.
/// </summary>
internal static class IlgpuGemmKernels
{
    /// <summary>The depth of a shared-memory slice along k.</summary>
    public const int TileK = 16;

    /// <summary>The floats of dynamic shared memory a group of <paramref name="tile"/> needs: two padded slices.</summary>
    public static int SharedFloats(int tile) => 2 * TileK * (tile + 1);

    /// <summary>
    /// The first <paramref name="blocks"/> tile × tile blocks of the Cs, grid-stride over the groups of
    /// a bounded grid: block w is block (row (w / tilesN) mod tilesM, column w mod tilesN) of product
    /// z = w / (tilesM · tilesN) (example z / count, leading index z mod count), tilesM × tilesN
    /// blocks covering each m × n C. Every thread of a group runs the same iterations, so the
    /// barriers stay uniform.
    /// </summary>
    public static void Gemm<TBlock>(int blocks, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmArguments g)
        where TBlock : struct, IRegisterBlock
    {
        int side = default(TBlock).Side;
        ArrayView<float> shared = SharedMemory.GetDynamic<float>();
        int stride = g.Tile + 1;
        ArrayView<float> at = shared.SubView(0, TileK * stride), bt = shared.SubView(TileK * stride, TileK * stride);
        int items = g.Tile / side;
        int lx = Group.IdxX, ly = Group.IdxY, id = (ly * items) + lx;
        var staging = new Staging(new TileWalk(id, items * items, TileK), new TileWalk(id, items * items, g.Tile));
        int tilesN = (g.N + g.Tile - 1) / g.Tile, tilesM = (g.M + g.Tile - 1) / g.Tile;
        for (int w = Grid.IdxX; w < blocks; w += Grid.DimX)
        {
            int row0 = w / tilesN % tilesM * g.Tile, col0 = w % tilesN * g.Tile;
            int z = w / (tilesN * tilesM), e = z / g.Count, l = z % g.Count;
            int aStart = (e * g.ABatchStride) + (l * g.AStride), bStart = (e * g.BBatchStride) + (l * g.BStride), cStart = z * g.M * g.N;
            Block<TBlock>(a, b, c, g, at, bt, staging, row0, col0, aStart, bStart, cStart, lx, ly, items);
        }
    }

    /// <summary>
    /// C = op(A)·op(B) for every product of <paramref name="g"/> with no shared memory and no
    /// barrier: element i of all the Cs (product, row, column) per step of a thread's grid-stride
    /// loop, its sum over k in order. For ILGPU's CPU accelerator, whose group barriers are OS-thread
    /// barriers (the tiled GEMM's two per step along k were most of the parity tests' time) and
    /// whose "shared memory" is ordinary memory; <paramref name="count"/> = products · m · n.
    /// </summary>
    public static void DirectGemm(int count, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmArguments g)
    {
        int mn = g.M * g.N;
        for (int i = IlgpuGridStride.Start; i < count; i += IlgpuGridStride.Stride)
        {
            int z = i / mn, row = i % mn / g.N, col = i % g.N;
            int e = z / g.Count, l = z % g.Count;
            int aStart = (e * g.ABatchStride) + (l * g.AStride), bStart = (e * g.BBatchStride) + (l * g.BStride);
            float sum = 0f;
            for (int p = 0; p < g.K; p++)
            {
                // op(A) = A is stored m × k, Aᵀ k × m; op(B) = B is stored k × n, Bᵀ n × k.
                float left = g.TransA == 0 ? a[aStart + (row * g.K) + p] : a[aStart + (p * g.M) + row];
                float right = g.TransB == 0 ? b[bStart + (p * g.N) + col] : b[bStart + (col * g.K) + p];
                sum += left * right;
            }

            c[i] = sum;
        }
    }

    /// <summary>
    /// One block of one C: the group's threads accumulate their block × block parts along k, a
    /// <see cref="TileK"/> slice of op(A) and op(B) staged in shared memory at a time, and write them.
    /// Ends past a barrier, so the next block may stage at once.
    /// </summary>
    private static void Block<TBlock>(
        ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmArguments g, ArrayView<float> at, ArrayView<float> bt, Staging staging,
        int row0, int col0, int aStart, int bStart, int cStart, int lx, int ly, int items)
        where TBlock : struct, IRegisterBlock
    {
        int stride = g.Tile + 1;
        TBlock sums = default;
        bool inside = row0 + ly < g.M && col0 + lx < g.N;
        for (int t = 0; t < g.K; t += TileK)
        {
            // op(A) = A is stored m × k (its rows along k); op(B) = Bᵀ is stored n × k.
            Stage(at, a, aStart, g.TransA == 0, row0, g.M, t, g.K, staging, g.Tile);
            Stage(bt, b, bStart, g.TransB != 0, col0, g.N, t, g.K, staging, g.Tile);
            Group.Barrier();
            if (inside)
            {
                for (int p = 0; p < TileK; p++)
                    sums.Accumulate(at, (p * stride) + ly, items, bt, (p * stride) + lx, items);
            }

            Group.Barrier();
        }

        var output = new Output(c, cStart, row0 + ly, col0 + lx, items, g.M, g.N);
        sums.Store(ref output);
    }

    /// <summary>Sum (i, j) of a thread's block into C[row0 + i·items, col0 + j·items] (C m × n at <paramref name="start"/>), where that element exists.</summary>
    private struct Output(ArrayView<float> c, int start, int row0, int col0, int items, int m, int n) : IBlockOutput
    {
        private int _col;

        public void Column(int j) => _col = col0 + (j * items);

        public readonly void Write(int i, float sum)
        {
            int row = row0 + (i * items);
            if (row < m && _col < n)
                c[start + (row * n) + _col] = sum;
        }
    }

    /// <summary>
    /// Stages tile[p, i] = X[origin + i, t + p] of an operand with <paramref name="extent"/> rows,
    /// stored row-major as extent × k (<paramref name="rowsAlongK"/>) or k × extent; consecutive
    /// threads read consecutive addresses of the stored rows.
    /// </summary>
    private static void Stage(
        ArrayView<float> tile, ArrayView<float> x, int start, bool rowsAlongK, int origin, int extent, int t, int k, Staging staging, int tileSize)
    {
        int stride = tileSize + 1;
        if (rowsAlongK)
        {
            for ((int i, int p) = (staging.AlongK.Row, staging.AlongK.Column); i < tileSize; staging.AlongK.Next(ref i, ref p))
                tile[(p * stride) + i] = origin + i < extent && t + p < k ? x[start + ((origin + i) * k) + t + p] : 0f;
        }
        else
        {
            for ((int p, int i) = (staging.AcrossK.Row, staging.AcrossK.Column); p < TileK; staging.AcrossK.Next(ref p, ref i))
                tile[(p * stride) + i] = t + p < k && origin + i < extent ? x[start + ((t + p) * extent) + origin + i] : 0f;
        }
    }

    /// <summary>
    /// A thread's elements of a staged slice, the group's threads taking consecutive flat indices:
    /// (i, p) of a slice read along the stored rows' k (<see cref="TileK"/> wide), or (p, i) of one
    /// read across them (tile wide).
    /// </summary>
    private readonly struct Staging(TileWalk alongK, TileWalk acrossK)
    {
        public readonly TileWalk AlongK = alongK, AcrossK = acrossK;
    }
}

/// <summary>The sizes and layout of one <see cref="IlgpuGemmKernels.Gemm{TBlock}"/> launch (one kernel argument).</summary>
internal readonly record struct GemmArguments(
    int M, int N, int K, int Count, int ABatchStride, int AStride, int BBatchStride, int BStride, int TransA, int TransB, int Tile);
