// Movement kernels of Dsl.Kernels.Movement and Dsl.Kernels.Sequences in OpenCL C 1.2: they only move
// floats (scatter_add adds in the CPU's row order), so they match the CPU bit for bit.

// y[o, j, m, i, n] = x[o, i, m, j, n]: transpose, x viewed as [outer, a, middle, b, inner].
__kernel void swap_axes(const int outer, const int a, const int middle, const int b, const int inner,
                        __global const float* x, const int xo,
                        __global float* y, const int yo)
{
    const int gid = get_global_id(0);
    if (gid >= outer * a * middle * b * inner) return;
    int k = gid;
    const int n = k % inner; k /= inner;
    const int i = k % a; k /= a;
    const int m = k % middle; k /= middle;
    const int j = k % b;
    const int o = k / b;
    y[yo + gid] = x[xo + (((o * a + i) * middle + m) * b + j) * inner + n];
}

// Block copies: concat parts into their place, split slices out of it, reshape.
__kernel void copy_blocks(const int blocks, const int sourceBlocks, const int width,
                          const int sourceStride, const int sourceOffset,
                          const int destinationStride, const int destinationOffset,
                          __global const float* x, const int xo,
                          __global float* y, const int yo)
{
    const int gid = get_global_id(0);
    if (gid >= blocks * width) return;
    const int k = gid / width, c = gid % width;
    y[yo + k * destinationStride + destinationOffset + c] = x[xo + (k % sourceBlocks) * sourceStride + sourceOffset + c];
}

// y[i, j] = 1 where j <= i, else 0: the [n, n] causal mask.
__kernel void causal_mask(const int n, __global float* y, const int yo)
{
    const int gid = get_global_id(0);
    if (gid >= n * n) return;
    y[yo + gid] = gid % n <= gid / n ? 1.0f : 0.0f;
}

// y[r, :] = table[ids[r], :]: an embedding's lookup (ids were checked on the host).
__kernel void gather_rows(const int rows, const int cols,
                          __global const float* table, const int to,
                          __global const int* ids, const int io,
                          __global float* y, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global const float* tr = table + to + ids[io + r] * cols;
    __global float* yr = y + yo + r * cols;
    for (int c = 0; c < cols; c++)
        yr[c] = tr[c];
}

// table[c, :] = sum of x[r, :] over the rows r with ids[r] = c: an embedding's gradient.
// Work-item j owns column j of the whole table, so the sums need no atomics and run in
// the CPU's order (row by row).
__kernel void scatter_add_rows(const int rows, const int cols, const int count,
                               __global const int* ids, const int io,
                               __global const float* x, const int xo,
                               __global float* table, const int to)
{
    const int j = get_global_id(0);
    if (j >= cols) return;
    for (int c = 0; c < count; c++)
        table[to + c * cols + j] = 0.0f;
    for (int r = 0; r < rows; r++)
        table[to + ids[io + r] * cols + j] += x[xo + r * cols + j];
}
