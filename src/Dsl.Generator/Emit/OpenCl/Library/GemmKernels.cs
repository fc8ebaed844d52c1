using Dsl.Generator.Emit.CSharp;

namespace Dsl.Generator.Emit.OpenCl.Library;

/// <summary>
/// C = op(A)·op(B) as a register-blocked, local-memory-tiled GEMM, in the three layouts the IR
/// needs, so that no transpose is ever materialised: <c>linear</c> is X·Wᵀ (NT),
/// <c>linear_transpose</c> G·W (NN) and <c>outer_batch_sum</c> Gᵀ·X (TN). The arguments are
/// those of <c>Dsl.Kernels.Gemm.Multiply</c>. The three kernels come from one template that
/// differs only in how each operand's tile is read from global memory.
/// </summary>
/// <remarks>
/// <para>
/// A work-group computes a TILE×TILE block of C with ITEMS×ITEMS work-items (ITEMS = TILE/BLOCK),
/// each work-item a BLOCK×BLOCK block of it. For every step of TILE_K along k the group stages a
/// TILE_K×TILE slice of op(A) and one of op(B) in local memory, then each work-item multiplies
/// from local memory into BLOCK² private sums: every value read from local memory feeds BLOCK
/// multiply-adds instead of one, which is what lets the kernel run at the arithmetic units' pace
/// rather than local memory's.
/// </para>
/// <para>
/// A work-item's outputs are strided by ITEMS rather than adjacent, so that neighbouring
/// work-items read neighbouring local addresses (one broadcast or conflict-free access per
/// memory bank on a GPU) and write neighbouring addresses of C. Tiles are read along each
/// operand's stored rows, so that neighbouring work-items read neighbouring global addresses
/// whatever the layout; an operand whose rows run along k is transposed on its way into local
/// memory, and the local rows are padded by one float so those transposed stores fall in
/// different banks. Out-of-range elements are staged as zeros and out-of-range outputs are not
/// written, so any m, n, k (down to 1) is correct; a work-item with no output inside C skips the
/// multiplications, which keeps a C much smaller than a tile (10×2 for the seed model's output
/// layer) about as cheap as with one output per work-item (measured on PoCL, bench/RESULTS.md).
/// </para>
/// <para>
/// The host chooses TILE and BLOCK from the device and builds the program with <c>-DTILE=</c> and
/// <c>-DBLOCK=</c> (see the program's constructor): 64 and 4 on a GPU (256 work-items, 8.3 KB of
/// local memory), 64 and 8 on a CPU, a smaller tile where work-groups are smaller.
/// </para>
/// </remarks>
internal static class GemmKernels
{
    public static readonly KernelLauncher Launcher = new("Gemm", $$"""
        /// <summary>C = op(A)·op(B) for an m×k op(A) and a k×n op(B) (<c>Dsl.Kernels.Gemm.Multiply</c>'s arguments): one work-group per _gemmTile×_gemmTile block of C, _gemmBlock×_gemmBlock outputs per work-item.</summary>
        private void Gemm({{TypeNames.OpenClKernel}} kernel, int m, int n, int k, {{TypeNames.OpenClBuffer}} a, int aOffset, {{TypeNames.OpenClBuffer}} b, int bOffset, {{TypeNames.OpenClBuffer}} c, int cOffset)
        {
            kernel.SetArg(0, m);
            kernel.SetArg(1, n);
            kernel.SetArg(2, k);
            kernel.SetArg(3, a);
            kernel.SetArg(4, aOffset);
            kernel.SetArg(5, b);
            kernel.SetArg(6, bOffset);
            kernel.SetArg(7, c);
            kernel.SetArg(8, cOffset);
            int items = _gemmTile / _gemmBlock;
            kernel.Launch(RoundUp(n, _gemmTile) / _gemmBlock, RoundUp(m, _gemmTile) / _gemmBlock, items, items);
        }
        """);

    /// <summary>The tiling, defined once before the first GEMM kernel of a source.</summary>
    public const string TileDefinition = """
        // The GEMM tiling: a work-group computes a TILE x TILE block of C, each of its ITEMS x ITEMS
        // work-items a BLOCK x BLOCK block, staging TILE_K steps of k at a time in local memory. The
        // host builds the program with -DTILE and -DBLOCK chosen from the device (BLOCK 8 on a CPU).
        #ifndef TILE
        #define TILE 64
        #endif
        #ifndef BLOCK
        #define BLOCK 4
        #endif
        #ifndef TILE_K
        #define TILE_K 16
        #endif
        #define ITEMS (TILE / BLOCK)
        """;

    public static readonly LibraryKernel NT = new("gemm_nt", Kernel("gemm_nt", transposeA: false, transposeB: true,
        "C[m, n] = A[m, k] * B[n, k]^T: linear, X * W^T (every row of X against every row of W)."), Launcher);

    public static readonly LibraryKernel NN = new("gemm_nn", Kernel("gemm_nn", transposeA: false, transposeB: false,
        "C[m, n] = A[m, k] * B[k, n]: linear_transpose, G * W."), Launcher);

    public static readonly LibraryKernel TN = new("gemm_tn", Kernel("gemm_tn", transposeA: true, transposeB: false,
        "C[m, n] = A[k, m]^T * B[k, n]: outer_batch_sum, G^T * X (a sum over the batch)."), Launcher);

    public static readonly KernelLauncher BatchedLauncher = new("BatchedGemm", $$"""
        /// <summary>
        /// C[z] = op(A[z])·op(B[z]) for every product z &lt; batch·count (<c>Dsl.Kernels.Gemm.MultiplyBatched</c>'s
        /// arguments): the GEMM's work-groups with z as the third NDRange dimension.
        /// </summary>
        private void BatchedGemm({{TypeNames.OpenClKernel}} kernel, int batch, int count, int m, int n, int k, {{TypeNames.OpenClBuffer}} a, int aOffset, int aBatchStride, int aStride, {{TypeNames.OpenClBuffer}} b, int bOffset, int bBatchStride, int bStride, {{TypeNames.OpenClBuffer}} c, int cOffset)
        {
            kernel.SetArg(0, m);
            kernel.SetArg(1, n);
            kernel.SetArg(2, k);
            kernel.SetArg(3, a);
            kernel.SetArg(4, aOffset);
            kernel.SetArg(5, b);
            kernel.SetArg(6, bOffset);
            kernel.SetArg(7, c);
            kernel.SetArg(8, cOffset);
            kernel.SetArg(9, count);
            kernel.SetArg(10, aBatchStride);
            kernel.SetArg(11, aStride);
            kernel.SetArg(12, bBatchStride);
            kernel.SetArg(13, bStride);
            int items = _gemmTile / _gemmBlock;
            kernel.Launch(RoundUp(n, _gemmTile) / _gemmBlock, RoundUp(m, _gemmTile) / _gemmBlock, batch * count, items, items, 1);
        }
        """);

    /// <summary>The batched products of <c>matmul</c>, one kernel per pair of transpose flags.</summary>
    public static LibraryKernel Batched(bool transposeA, bool transposeB) => (transposeA, transposeB) switch
    {
        (false, false) => BatchedNN,
        (false, true) => BatchedNT,
        (true, false) => BatchedTN,
        (true, true) => BatchedTT,
    };

    public static readonly LibraryKernel BatchedNN = BatchedKernel(false, false);
    public static readonly LibraryKernel BatchedNT = BatchedKernel(false, true);
    public static readonly LibraryKernel BatchedTN = BatchedKernel(true, false);
    public static readonly LibraryKernel BatchedTT = BatchedKernel(true, true);

    private static LibraryKernel BatchedKernel(bool transposeA, bool transposeB)
    {
        string name = $"matmul_{(transposeA ? 't' : 'n')}{(transposeB ? 't' : 'n')}";
        return new(name, Kernel(name, transposeA, transposeB,
            $"C[z][m, n] = op(A[z]) * op(B[z]) for product z = get_global_id(2) (example z / count, leading index z % count): matmul.", batched: true), BatchedLauncher);
    }

    private static string Kernel(string name, bool transposeA, bool transposeB, string summary, bool batched = false)
    {
        // op(A) = A is stored m×k, its rows along k; op(A) = Aᵀ is stored k×m. op(B) = B is stored
        // k×n; op(B) = Bᵀ is stored n×k, its rows along k.
        string loadA = Load("at", "a", "ao", "row0", "m", rowsAlongK: !transposeA);
        string loadB = Load("bt", "b", "bo", "col0", "n", rowsAlongK: transposeB);
        return $$"""
            // {{summary}}
            __kernel __attribute__((reqd_work_group_size(ITEMS, ITEMS, 1)))
            void {{name}}(const int m, const int n, const int k,
                         __global const float* a, const int ao,
                         __global const float* b, const int bo,
                         __global float* c, const int co{{(batched ? BatchedParameters : ")")}}
            {
            {{(batched ? BatchedOffsets : "")}}
                __local float at[TILE_K][TILE + 1]; // at[p][i] = op(A)[row0 + i, t + p]
                __local float bt[TILE_K][TILE + 1]; // bt[p][j] = op(B)[t + p, col0 + j]
                const int lx = get_local_id(0), ly = get_local_id(1), id = ly * ITEMS + lx;
                const int row0 = get_group_id(1) * TILE, col0 = get_group_id(0) * TILE;
                // sum[i][j] = C[row0 + ly + i * ITEMS, col0 + lx + j * ITEMS]
                float sum[BLOCK][BLOCK];
                for (int i = 0; i < BLOCK; i++)
                    for (int j = 0; j < BLOCK; j++)
                        sum[i][j] = 0.0f;
                for (int t = 0; t < k; t += TILE_K)
                {
                    for (int e = id; e < TILE * TILE_K; e += ITEMS * ITEMS)
                    {
            {{loadA}}
                    }
                    for (int e = id; e < TILE * TILE_K; e += ITEMS * ITEMS)
                    {
            {{loadB}}
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                    // A work-item all of whose outputs lie outside C only helps to stage the tiles:
                    // for a C smaller than a tile (a layer of 10 outputs) that is most of them.
                    if (row0 + ly < m && col0 + lx < n)
                    {
                        for (int p = 0; p < TILE_K; p++)
                        {
                            float ap[BLOCK], bp[BLOCK];
                            for (int i = 0; i < BLOCK; i++)
                                ap[i] = at[p][ly + i * ITEMS];
                            for (int j = 0; j < BLOCK; j++)
                                bp[j] = bt[p][lx + j * ITEMS];
                            for (int i = 0; i < BLOCK; i++)
                                for (int j = 0; j < BLOCK; j++)
                                    sum[i][j] += ap[i] * bp[j];
                        }
                    }
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
                for (int i = 0; i < BLOCK; i++)
                    for (int j = 0; j < BLOCK; j++)
                    {
                        const int row = row0 + ly + i * ITEMS, col = col0 + lx + j * ITEMS;
                        if (row < m && col < n)
                            c[co + row * n + col] = sum[i][j];
                    }
            }
            """;
    }

    /// <summary>The batched kernel's extra parameters: products per example and each operand's strides.</summary>
    private const string BatchedParameters = """
        ,
                         const int count, const int aBatchStride, const int aStride,
                         const int bBatchStride, const int bStride)
        """;

    /// <summary>Moves the operands to product z's matrices (C is contiguous, m·n floats per product); the offsets still apply.</summary>
    private const string BatchedOffsets = """
        const int z = get_global_id(2), e = z / count, l = z % count;
            a += e * aBatchStride + l * aStride;
            b += e * bBatchStride + l * bStride;
            c += z * m * n;
        """;

    /// <summary>
    /// The statements by which work-item <c>id</c> stages element <c>e</c> of a TILE_K×TILE tile
    /// <c>tile[p][i]</c> = X[origin + i, t + p] of an operand X with <paramref name="extent"/> rows
    /// (m for op(A), n for op(B)), stored row-major either as extent×k (<paramref name="rowsAlongK"/>)
    /// or as k×extent. Consecutive <c>e</c> are consecutive addresses of the stored rows.
    /// </summary>
    private static string Load(string tile, string x, string offset, string origin, string extent, bool rowsAlongK) => rowsAlongK
        ? $$"""
                        // {{x}} is stored {{extent}} x k: read along its rows, transposed into the tile.
                        const int i = e / TILE_K, p = e % TILE_K;
                        {{tile}}[p][i] = {{origin}} + i < {{extent}} && t + p < k ? {{x}}[{{offset}} + ({{origin}} + i) * k + t + p] : 0.0f;
            """
        : $$"""
                        // {{x}} is stored k x {{extent}}: read along its rows, as the tile's rows.
                        const int p = e / TILE, i = e % TILE;
                        {{tile}}[p][i] = t + p < k && {{origin}} + i < {{extent}} ? {{x}}[{{offset}} + (t + p) * {{extent}} + {{origin}} + i] : 0.0f;
            """;
}
