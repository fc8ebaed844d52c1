// Row kernels of Dsl.Kernels.Rows and Dsl.Kernels.Sequences in OpenCL C 1.2, one work-item per row
// (sum_columns: per column), with the CPU's formulas. Offsets are in elements.

// yr[:n] = softmax(xr[:n]) = exp(x - max) * (1 / sum exp(x - max)); large logits cannot overflow.
// The row of softmax_rows (n = cols) and of causal_softmax_rows (n = the visible positions).
void softmax_row(__global const float* xr, __global float* yr, const int n)
{
    float max = xr[0];
    for (int c = 1; c < n; c++)
        max = xr[c] > max ? xr[c] : max;
    float sum = 0.0f;
    for (int c = 0; c < n; c++)
    {
        const float e = exp(xr[c] - max);
        yr[c] = e;
        sum += e;
    }
    const float scale = 1.0f / sum;
    for (int c = 0; c < n; c++)
        yr[c] *= scale;
}

// y[r, :] = softmax(x[r, :]).
__kernel void softmax_rows(const int rows, const int cols,
                           __global const float* x, const int xo,
                           __global float* y, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    softmax_row(x + xo + r * cols, y + yo + r * cols, cols);
}

// y[r, :] = x[r, :] - logsumexp(x[r, :]), with logsumexp = max + log sum exp(x - max).
__kernel void log_softmax_rows(const int rows, const int cols,
                               __global const float* x, const int xo,
                               __global float* y, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global const float* xr = x + xo + r * cols;
    __global float* yr = y + yo + r * cols;
    float max = xr[0];
    for (int c = 1; c < cols; c++)
        max = xr[c] > max ? xr[c] : max;
    float sum = 0.0f;
    for (int c = 0; c < cols; c++)
        sum += exp(xr[c] - max);
    const float logSum = max + log(sum);
    for (int c = 0; c < cols; c++)
        yr[c] = xr[c] - logSum;
}

// y[r] = sum_c x[r, c]: sum (of each example's elements).
__kernel void sum_rows(const int rows, const int cols,
                       __global const float* x, const int xo,
                       __global float* y, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global const float* xr = x + xo + r * cols;
    float sum = 0.0f;
    for (int c = 0; c < cols; c++)
        sum += xr[c];
    y[yo + r] = sum;
}

// y[c] = sum_r x[r, c]: batch_sum, how a parameter's gradient reduces over the batch.
__kernel void sum_columns(const int rows, const int cols,
                          __global const float* x, const int xo,
                          __global float* y, const int yo)
{
    const int c = get_global_id(0);
    if (c >= cols) return;
    float sum = 0.0f;
    for (int r = 0; r < rows; r++)
        sum += x[xo + r * cols + c];
    y[yo + c] = sum;
}

// y[r, :] = x[r]: expand_last, a per-position value repeated along its row.
__kernel void expand_last_rows(const int rows, const int cols,
                               __global const float* x, const int xo,
                               __global float* y, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    const float v = x[xo + r];
    __global float* yr = y + yo + r * cols;
    for (int c = 0; c < cols; c++)
        yr[c] = v;
}

// y[r, :] = x[:]: tile, a vector (a Dense bias) copied into every row of a sequence.
__kernel void tile_rows(const int rows, const int cols,
                        __global const float* x, const int xo,
                        __global float* y, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global float* yr = y + yo + r * cols;
    for (int c = 0; c < cols; c++)
        yr[c] = x[xo + c];
}

// loss[r] = logsumexp(logits[r, :]) - logits[r, labels[r]]: nn.CrossEntropyLoss(reduction='none').
__kernel void cross_entropy_rows(const int rows, const int cols,
                                 __global const float* logits, const int xo,
                                 __global const int* labels, const int lo,
                                 __global float* loss, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global const float* xr = logits + xo + r * cols;
    float max = xr[0];
    for (int c = 1; c < cols; c++)
        max = xr[c] > max ? xr[c] : max;
    float sum = 0.0f;
    for (int c = 0; c < cols; c++)
        sum += exp(xr[c] - max);
    loss[yo + r] = max + log(sum) - xr[labels[lo + r]];
}

// dx[r, :] = u·(softmax(logits[r, :]) - onehot(labels[r])), the gradient of cross_entropy_rows
// in one pass over the row, as Rows.CrossEntropyBackward: exp(x - max)·(u / Σ exp(x - max)), then -u at the label.
__kernel void cross_entropy_grad_rows(const int rows, const int cols,
                                      __global const float* logits, const int xo,
                                      __global const int* labels, const int lo,
                                      __global const float* weights, const int wo,
                                      const int perRow, const float weight,
                                      __global float* dx, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global const float* xr = logits + xo + r * cols;
    __global float* yr = dx + yo + r * cols;
    const float u = perRow ? weights[wo + r] : weight;
    float max = xr[0];
    for (int c = 1; c < cols; c++)
        max = xr[c] > max ? xr[c] : max;
    float sum = 0.0f;
    for (int c = 0; c < cols; c++)
        sum += exp(xr[c] - max);
    const float scale = u / sum;
    for (int c = 0; c < cols; c++)
        yr[c] = exp(xr[c] - max) * scale;
    yr[labels[lo + r]] -= u;
}

// correct[r] = 1 when the first largest logit of row r is at labels[r], else 0 (a NaN counts as the largest).
__kernel void accuracy_rows(const int rows, const int cols,
                            __global const float* logits, const int xo,
                            __global const int* labels, const int lo,
                            __global float* correct, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global const float* xr = logits + xo + r * cols;
    int best = 0;
    for (int c = 1; c < cols && !isnan(xr[best]); c++)
        if (xr[c] > xr[best] || isnan(xr[c]))
            best = c;
    correct[yo + r] = best == labels[lo + r] ? 1.0f : 0.0f;
}

// y[r, :] = onehot(labels[r]): 1 at the label, 0 elsewhere.
__kernel void one_hot_rows(const int rows, const int cols,
                           __global const int* labels, const int lo,
                           __global float* y, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global float* yr = y + yo + r * cols;
    const int label = labels[lo + r];
    for (int c = 0; c < cols; c++)
        yr[c] = c == label ? 1.0f : 0.0f;
}

// The column of the first largest value of a row; a NaN counts as the largest (the CPU's Rows.FirstMaximum).
int first_maximum(__global const float* xr, const int cols)
{
    int best = 0;
    for (int c = 1; c < cols && !isnan(xr[best]); c++)
        if (xr[c] > xr[best] || isnan(xr[c]))
            best = c;
    return best;
}

// index[r] = the column of the first largest value of row r, as a float.
__kernel void arg_max_rows(const int rows, const int cols,
                           __global const float* x, const int xo,
                           __global float* index, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    index[yo + r] = (float)first_maximum(x + xo + r * cols, cols);
}

// y[r, :] = 1 at the first largest value of row r, 0 elsewhere.
__kernel void arg_max_mask_rows(const int rows, const int cols,
                                __global const float* x, const int xo,
                                __global float* y, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    const int best = first_maximum(x + xo + r * cols, cols);
    __global float* yr = y + yo + r * cols;
    for (int c = 0; c < cols; c++)
        yr[c] = c == best ? 1.0f : 0.0f;
}

// y[r, j] = x[r, index[r, j]]: torch.gather along the last axis with float indices, rounded toward
// zero; NaN for an index outside [0, n) (the CPU's Rows.GatherLast).
__kernel void gather_last_rows(const int rows, const int n, const int k,
                               __global const float* x, const int xo,
                               __global const float* index, const int io,
                               __global float* y, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    for (int j = 0; j < k; j++)
    {
        const float at = index[io + r * k + j];
        y[yo + r * k + j] = at >= 0.0f && at < (float)n ? x[xo + r * n + (int)at] : NAN;
    }
}

// y[r, c] = sum of g[r, j] over the j (in order) with index[r, j] = c: gather_last_rows' transpose.
// One work-item per row, so no two add into one element.
__kernel void scatter_last_rows(const int rows, const int n, const int k,
                                __global const float* index, const int io,
                                __global const float* g, const int go,
                                __global float* y, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global float* yr = y + yo + r * n;
    for (int c = 0; c < n; c++)
        yr[c] = 0.0f;
    for (int j = 0; j < k; j++)
    {
        const float at = index[io + r * k + j];
        if (at >= 0.0f && at < (float)n)
            yr[(int)at] += g[go + r * k + j];
    }
}

// y[r, :i+1] = softmax(x[r, :i+1]), y[r, i+1:] = 0 for i = r mod T (T = cols): attention weights under a causal mask.
__kernel void causal_softmax_rows(const int rows, const int cols,
                                  __global const float* x, const int xo,
                                  __global float* y, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    const int visible = r % cols + 1;
    __global float* yr = y + yo + r * cols;
    softmax_row(x + xo + r * cols, yr, visible);
    for (int c = visible; c < cols; c++)
        yr[c] = 0.0f;
}
