// y[yo + i] = dsl_dropout(x[xo + i], start + i, ...): one work-item per element (philox.cl's functions).
__kernel void dropout(const int n, __global const float* x, const int xo, __global float* y, const int yo,
                      const uint seed_lo, const uint seed_hi, const uint site, const uint step,
                      const uint start_lo, const uint start_hi, const uint threshold, const float scale)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const uint index_lo = start_lo + (uint)i;
    const uint index_hi = start_hi + (index_lo < start_lo ? 1u : 0u);
    y[yo + i] = dsl_dropout(x[xo + i], index_lo, index_hi, site, step, seed_lo, seed_hi, threshold, scale);
}
