// Element-wise fills, copies and scales, and the two-stage reductions that bring a vector down to
// one float on the device (a loss's mean, the gradient's sum of squares), so that only that float
// crosses to the host.

// y[yo + i] = value.
__kernel void fill(const int n, const float value, __global float* y, const int yo)
{
    const int i = get_global_id(0);
    if (i < n) y[yo + i] = value;
}

// y[yo + i] = x[xo + i].
__kernel void copy(const int n, __global const float* x, const int xo, __global float* y, const int yo)
{
    const int i = get_global_id(0);
    if (i < n) y[yo + i] = x[xo + i];
}

// y[yo + i] = factor * x[xo + i].
__kernel void scale(const int n, const float factor, __global const float* x, const int xo, __global float* y, const int yo)
{
    const int i = get_global_id(0);
    if (i < n) y[yo + i] = factor * x[xo + i];
}

// Stage one: work-group w adds elements [w*L*K, (w+1)*L*K) of x (their squares when square is 1;
// L = work-group size, a power of two; K = items per work-item): work-item i adds elements
// w*L*K + k*L + i for k < K (adjacent items read adjacent floats), then the group adds its L sums in
// a fixed tree and writes partials[w]. Nothing depends on timing: the result is the same every run.
__kernel void group_sums(const int n, const int itemsPerWorkItem, const int square,
                         __global const float* x, const int xo,
                         __global float* partials, __local float* scratch)
{
    const int lid = get_local_id(0), size = get_local_size(0);
    const int start = get_group_id(0) * size * itemsPerWorkItem + lid;
    float sum = 0.0f;
    for (int k = 0; k < itemsPerWorkItem; k++)
    {
        const int i = start + k * size;
        if (i < n)
        {
            const float v = x[xo + i];
            // An explicit fma, as the CPU's norm squares and adds: the same rounding on every device
            // whatever its compiler contracts.
            sum = square ? fma(v, v, sum) : sum + v;
        }
    }
    scratch[lid] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = size / 2; width > 0; width /= 2)
    {
        if (lid < width)
            scratch[lid] += scratch[lid + width];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0)
        partials[get_group_id(0)] = scratch[0];
}

// Stage two, one work-item: result = (sum of the partials, in order) / divisor.
__kernel void finish_sum(const int groups, __global const float* partials, const float divisor,
                         __global float* result, const int ro)
{
    if (get_global_id(0) != 0) return;
    float sum = 0.0f;
    for (int w = 0; w < groups; w++)
        sum += partials[w];
    result[ro] = sum / divisor;
}
