using Dsl.Generator.Emit.CSharp;

namespace Dsl.Generator.Emit.OpenCl.Library;

/// <summary>
/// C = op(A)·op(B) as a tiled local-memory GEMM, in the three layouts the IR needs, so that no
/// transpose is ever materialised: <c>linear</c> is X·Wᵀ (NT), <c>linear_transpose</c> G·W (NN)
/// and <c>outer_batch_sum</c> Gᵀ·X (TN). The arguments are those of <c>Dsl.Kernels.Gemm.Multiply</c>.
/// </summary>
/// <remarks>
/// Each TILE×TILE work-group computes one tile of C, one element per work-item. For every step of
/// TILE along k, the group stages a tile of op(A) and one of op(B) in local memory; each
/// work-item loads one element of each, reading along the matrix's stored rows so that
/// neighbouring work-items read neighbouring addresses whatever the layout, and a transposed
/// operand is transposed on its way into local memory. Rows of local tiles are padded by one
/// float so the transposed stores do not collide in one memory bank. TILE is 16 (256 work-items)
/// unless the program is built with <c>-DTILE=8</c> for a device with small work-groups.
/// </remarks>
internal static class GemmKernels
{
    public static readonly KernelLauncher Launcher = new("Gemm", $$"""
        /// <summary>C = op(A)·op(B) for an m×k op(A) and a k×n op(B) (<c>Dsl.Kernels.Gemm.Multiply</c>'s arguments): one TILE×TILE work-group per tile of C.</summary>
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
            kernel.Launch(RoundUp(n, _tile), RoundUp(m, _tile), _tile, _tile);
        }
        """);

    /// <summary>The tile edge, defined once before the first GEMM kernel of a source.</summary>
    public const string TileDefinition = """
        // The GEMM tile edge: TILE x TILE work-items per group. A program built for a device whose
        // work-groups hold fewer than 256 work-items is built with -DTILE=8.
        #ifndef TILE
        #define TILE 16
        #endif
        """;

    public static readonly LibraryKernel NT = new("gemm_nt", Kernel("gemm_nt", transposeA: false, transposeB: true,
        "C[m, n] = A[m, k] * B[n, k]^T: linear, X * W^T (every row of X against every row of W)."), Launcher);

    public static readonly LibraryKernel NN = new("gemm_nn", Kernel("gemm_nn", transposeA: false, transposeB: false,
        "C[m, n] = A[m, k] * B[k, n]: linear_transpose, G * W."), Launcher);

    public static readonly LibraryKernel TN = new("gemm_tn", Kernel("gemm_tn", transposeA: true, transposeB: false,
        "C[m, n] = A[k, m]^T * B[k, n]: outer_batch_sum, G^T * X (a sum over the batch)."), Launcher);

    private static string Kernel(string name, bool transposeA, bool transposeB, string summary)
    {
        // Work-item (ly, lx) loads one element of each tile. Stored row-major, op(A) = A is read as
        // A[row0 + ly, t + lx] (along a row of A); op(A) = Aᵀ, stored k×m, as A[t + ly, row0 + lx]
        // and put at its transposed place. Likewise for B.
        string loadA = transposeA
            ? Indented("// op(A)[row0 + lx, t + ly] = A[t + ly, row0 + lx]: read along A's stored rows, transposed into the tile.",
                       "at[lx][ly] = t + ly < k && row0 + lx < m ? a[ao + (t + ly) * m + row0 + lx] : 0.0f;")
            : Indented("// op(A)[row0 + ly, t + lx] = A[row0 + ly, t + lx].",
                       "at[ly][lx] = row0 + ly < m && t + lx < k ? a[ao + (row0 + ly) * k + t + lx] : 0.0f;");
        string loadB = transposeB
            ? Indented("// op(B)[t + lx, col0 + ly] = B[col0 + ly, t + lx]: read along B's stored rows, transposed into the tile.",
                       "bt[lx][ly] = col0 + ly < n && t + lx < k ? b[bo + (col0 + ly) * k + t + lx] : 0.0f;")
            : Indented("// op(B)[t + ly, col0 + lx] = B[t + ly, col0 + lx].",
                       "bt[ly][lx] = t + ly < k && col0 + lx < n ? b[bo + (t + ly) * n + col0 + lx] : 0.0f;");
        return $$"""
            // {{summary}}
            __kernel __attribute__((reqd_work_group_size(TILE, TILE, 1)))
            void {{name}}(const int m, const int n, const int k,
                         __global const float* a, const int ao,
                         __global const float* b, const int bo,
                         __global float* c, const int co)
            {
                __local float at[TILE][TILE + 1]; // at[r][p] = op(A)[row0 + r, t + p]
                __local float bt[TILE][TILE + 1]; // bt[p][q] = op(B)[t + p, col0 + q]
                const int lx = get_local_id(0), ly = get_local_id(1);
                const int row0 = get_group_id(1) * TILE, col0 = get_group_id(0) * TILE;
                float sum = 0.0f;
                for (int t = 0; t < k; t += TILE)
                {
            {{loadA}}
            {{loadB}}
                    barrier(CLK_LOCAL_MEM_FENCE);
                    for (int p = 0; p < TILE; p++)
                        sum += at[ly][p] * bt[p][lx];
                    barrier(CLK_LOCAL_MEM_FENCE);
                }
                if (row0 + ly < m && col0 + lx < n)
                    c[co + (row0 + ly) * n + col0 + lx] = sum;
            }
            """;
    }

    /// <summary>Lines at the depth of the kernel's loop body.</summary>
    private static string Indented(params string[] lines) => string.Join("\n", System.Linq.Enumerable.Select(lines, l => "        " + l));
}
