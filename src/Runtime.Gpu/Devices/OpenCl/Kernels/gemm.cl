// C = op(A) * op(B) as a register-blocked, local-memory-tiled GEMM (Dsl.Kernels.Gemm.Multiply and
// MultiplyBatched), in all four layouts, so that no transpose is ever materialised.
//
// A work-group computes a TILE x TILE block of C with ITEMS x ITEMS work-items (ITEMS = TILE / BLOCK),
// each work-item a BLOCK x BLOCK block of it. For every step of TILE_K along k the group stages a
// TILE_K x TILE slice of op(A) and one of op(B) in local memory, then each work-item multiplies from
// local memory into BLOCK^2 private sums: every value read from local memory feeds BLOCK multiply-adds
// instead of one, which lets the kernel run at the arithmetic units' pace rather than local memory's.
//
// A work-item's outputs are strided by ITEMS rather than adjacent, so that neighbouring work-items
// read neighbouring local addresses and write neighbouring addresses of C. Tiles are read along each
// operand's stored rows, so neighbouring work-items read neighbouring global addresses whatever the
// layout; an operand whose rows run along k is transposed on its way into local memory, and the local
// rows are padded by one float so those transposed stores fall in different banks. Out-of-range
// elements are staged as zeros and out-of-range outputs are not written, so any m, n, k (down to 1)
// is correct; a work-item with no output inside C skips the multiplications.
//
// The host builds the program with -DTILE and -DBLOCK chosen from the device (OpenClKernels):
// 64 and 4 on a GPU (256 work-items, 8.3 KB of local memory), 64 and 8 on a CPU, a smaller tile
// where work-groups are smaller.
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

// Stages tile[p][i] = X[origin + i, t + p] of an operand X with `extent` rows (m for op(A), n for
// op(B)), stored row-major as extent x k (rowsAlongK) or as k x extent. Consecutive e are
// consecutive addresses of the stored rows.
void gemm_stage(__local float (*tile)[TILE + 1], __global const float* x, const bool rowsAlongK,
                const int origin, const int extent, const int t, const int k, const int id)
{
    for (int e = id; e < TILE * TILE_K; e += ITEMS * ITEMS)
    {
        if (rowsAlongK)
        {
            const int i = e / TILE_K, p = e % TILE_K;
            tile[p][i] = origin + i < extent && t + p < k ? x[(origin + i) * k + t + p] : 0.0f;
        }
        else
        {
            const int p = e / TILE, i = e % TILE;
            tile[p][i] = t + p < k && origin + i < extent ? x[(t + p) * extent + origin + i] : 0.0f;
        }
    }
}

// The work-group's block of C = op(A) * op(B); a, b and c already point at this product's matrices.
void gemm_block(const bool transA, const bool transB, const int m, const int n, const int k,
                __global const float* a, __global const float* b, __global float* c,
                __local float (*at)[TILE + 1], __local float (*bt)[TILE + 1])
{
    const int lx = get_local_id(0), ly = get_local_id(1), id = ly * ITEMS + lx;
    const int row0 = get_group_id(1) * TILE, col0 = get_group_id(0) * TILE;
    // sum[i][j] = C[row0 + ly + i * ITEMS, col0 + lx + j * ITEMS]
    float sum[BLOCK][BLOCK];
    for (int i = 0; i < BLOCK; i++)
        for (int j = 0; j < BLOCK; j++)
            sum[i][j] = 0.0f;
    for (int t = 0; t < k; t += TILE_K)
    {
        // op(A) = A is stored m x k, its rows along k; op(B) = B^T is stored n x k.
        gemm_stage(at, a, !transA, row0, m, t, k, id);
        gemm_stage(bt, b, transB, col0, n, t, k, id);
        barrier(CLK_LOCAL_MEM_FENCE);
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
                c[row * n + col] = sum[i][j];
        }
}

// C[z] = op(A[z]) * op(B[z]) for product z = get_global_id(2) (example z / count, leading index
// z % count); a single GEMM is the batch of one with count 1. The transpose flags are constants of
// each kernel, so the compiler folds the layout branches away.
#define MATMUL_KERNEL(name, transA, transB)                                                        \
__kernel __attribute__((reqd_work_group_size(ITEMS, ITEMS, 1)))                                   \
void name(const int m, const int n, const int k,                                                  \
          __global const float* a, const int ao,                                                  \
          __global const float* b, const int bo,                                                  \
          __global float* c, const int co,                                                        \
          const int count, const int aBatchStride, const int aStride,                            \
          const int bBatchStride, const int bStride)                                              \
{                                                                                                 \
    __local float at[TILE_K][TILE + 1];                                                           \
    __local float bt[TILE_K][TILE + 1];                                                           \
    const int z = get_global_id(2), e = z / count, l = z % count;                                 \
    gemm_block(transA, transB, m, n, k,                                                           \
               a + ao + e * aBatchStride + l * aStride, b + bo + e * bBatchStride + l * bStride, \
               c + co + z * m * n, at, bt);                                                       \
}

MATMUL_KERNEL(matmul_nn, false, false)
MATMUL_KERNEL(matmul_nt, false, true)
MATMUL_KERNEL(matmul_tn, true, false)
MATMUL_KERNEL(matmul_tt, true, true)
