// Pooling over NCHW images, window by window where it lies (issue 19): the CPU's
// Dsl.Kernels.Pooling in OpenCL C 1.2. A geometry is the image (c, h, w), window (kh, kw), stride
// (sh, sw), padding (ph, pw), dilation (dh, dw) and the output (oh, ow); the planes are (example,
// channel) pairs, one after another.

// The plane index of the first maximum of the window at (top, left), padding skipped, a NaN once
// reached the maximum (Rows.ArgMaxMask's rule); -1 when the window holds no pixel.
int pool_first_maximum(__global const float* s, const int h, const int w, const int kh, const int kw,
                       const int dh, const int dw, const int top, const int left)
{
    int best = -1;
    float bestValue = 0.0f;
    for (int i = 0; i < kh; i++)
    {
        const int y = top + i * dh;
        if (y < 0 || y >= h) continue;
        for (int j = 0; j < kw; j++)
        {
            const int x = left + j * dw;
            if (x < 0 || x >= w) continue;
            if (best >= 0 && isnan(bestValue)) return best;
            const float value = s[y * w + x];
            if (best < 0 || value > bestValue || isnan(value))
            {
                best = y * w + x;
                bestValue = value;
            }
        }
    }
    return best;
}

// y[plane, oy, ox] = values at the first maximum of the scores in window (oy, ox): one work-item per output.
__kernel void max_pool(const int c, const int h, const int w, const int kh, const int kw, const int sh, const int sw,
                       const int ph, const int pw, const int dh, const int dw, const int oh, const int ow, const int total,
                       __global const float* scores, const int so,
                       __global const float* values, const int vo,
                       __global float* y, const int yo)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    const int ox = z % ow, oy = z / ow % oh, plane = z / (ow * oh);
    const int at = pool_first_maximum(scores + so + plane * h * w, h, w, kh, kw, dh, dw, oy * sh - ph, ox * sw - pw);
    y[yo + z] = at < 0 ? 0.0f : values[vo + plane * h * w + at];
}

// dx[plane, y, x] = the sum, over the windows covering the pixel in row-major order, of d where the
// window's first maximum is this pixel: one work-item per pixel gathering them (no atomics).
__kernel void max_pool_backward(const int c, const int h, const int w, const int kh, const int kw, const int sh, const int sw,
                                const int ph, const int pw, const int dh, const int dw, const int oh, const int ow, const int total,
                                __global const float* scores, const int so,
                                __global const float* d, const int d_o,
                                __global float* dx, const int xo)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    const int xx = z % w, yy = z / w % h, plane = z / (w * h), pixel = yy * w + xx;
    __global const float* s = scores + so + plane * h * w;
    float sum = 0.0f;
    for (int oy = 0; oy < oh; oy++)
    {
        const int dy = yy + ph - oy * sh;
        if (dy < 0 || dy % dh != 0 || dy / dh >= kh) continue;
        for (int ox = 0; ox < ow; ox++)
        {
            const int dxx = xx + pw - ox * sw;
            if (dxx < 0 || dxx % dw != 0 || dxx / dw >= kw) continue;
            if (pool_first_maximum(s, h, w, kh, kw, dh, dw, oy * sh - ph, ox * sw - pw) == pixel)
                sum += d[d_o + (plane * oh + oy) * ow + ox];
        }
    }
    dx[xo + z] = sum;
}

// y[plane, oy, ox] = the sum of the window's pixels in window order, times 1/(kh·kw) (count_include_pad).
__kernel void avg_pool(const int c, const int h, const int w, const int kh, const int kw, const int sh, const int sw,
                       const int ph, const int pw, const int dh, const int dw, const int oh, const int ow, const int total,
                       const float scale,
                       __global const float* x, const int xo,
                       __global float* y, const int yo)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    const int ox = z % ow, oy = z / ow % oh, plane = z / (ow * oh);
    __global const float* image = x + xo + plane * h * w;
    float sum = 0.0f;
    for (int i = 0; i < kh; i++)
    {
        const int yy = oy * sh - ph + i * dh;
        if (yy < 0 || yy >= h) continue;
        for (int j = 0; j < kw; j++)
        {
            const int xx = ox * sw - pw + j * dw;
            if (xx >= 0 && xx < w) sum += image[yy * w + xx];
        }
    }
    y[yo + z] = sum * scale;
}

// dx[plane, y, x] = the sum, over the windows covering the pixel in row-major order, of d·1/(kh·kw):
// one work-item per pixel.
__kernel void avg_pool_backward(const int c, const int h, const int w, const int kh, const int kw, const int sh, const int sw,
                                const int ph, const int pw, const int dh, const int dw, const int oh, const int ow, const int total,
                                const float scale,
                                __global const float* d, const int d_o,
                                __global float* dx, const int xo)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    const int xx = z % w, yy = z / w % h, plane = z / (w * h);
    float sum = 0.0f;
    for (int oy = 0; oy < oh; oy++)
    {
        const int dy = yy + ph - oy * sh;
        if (dy < 0 || dy % dh != 0 || dy / dh >= kh) continue;
        for (int ox = 0; ox < ow; ox++)
        {
            const int dxx = xx + pw - ox * sw;
            if (dxx < 0 || dxx % dw != 0 || dxx / dw >= kw) continue;
            // Its own statement: the product rounds before the sum, as the CPU's does (no contraction).
            const float share = d[d_o + (plane * oh + oy) * ow + ox] * scale;
            sum += share;
        }
    }
    dx[xo + z] = sum;
}

// ---- Adaptive pooling (issue 19) ----
// PyTorch's adaptive windows: along an axis of n cells pooled to m, window i is [floor(i·n/m),
// ceil((i+1)·n/m)); they vary in size and overlap where m does not divide n. A pixel at p lies in
// windows floor(p·m/n) to floor(((p+1)·m − 1)/n). The geometry is the image (c, h, w) and the output (oh, ow).

int adaptive_start(const int i, const int m, const int n) { return (int)((long)i * n / m); }
int adaptive_end(const int i, const int m, const int n) { return (int)(((long)(i + 1) * n + m - 1) / m); }

// The plane index of the first maximum of window (oy, ox) in row-major order, a NaN once reached the maximum.
int adaptive_first_maximum(__global const float* s, const int h, const int w, const int oh, const int ow, const int oy, const int ox)
{
    const int top = adaptive_start(oy, oh, h), bottom = adaptive_end(oy, oh, h);
    const int left = adaptive_start(ox, ow, w), right = adaptive_end(ox, ow, w);
    int best = top * w + left;
    float bestValue = s[best];
    for (int y = top; y < bottom; y++)
        for (int x = left; x < right; x++)
        {
            const float value = s[y * w + x];
            if (value > bestValue || (isnan(value) && !isnan(bestValue)))
            {
                best = y * w + x;
                bestValue = value;
            }
        }
    return best;
}

// y[plane, oy, ox] = values at the first maximum of the scores in window (oy, ox): one work-item per output.
__kernel void adaptive_max_pool(const int c, const int h, const int w, const int oh, const int ow, const int total,
                                __global const float* scores, const int so,
                                __global const float* values, const int vo,
                                __global float* y, const int yo)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    const int ox = z % ow, oy = z / ow % oh, plane = z / (ow * oh);
    y[yo + z] = values[vo + plane * h * w + adaptive_first_maximum(scores + so + plane * h * w, h, w, oh, ow, oy, ox)];
}

// dx[plane, y, x] = the sum, over the windows covering the pixel in row-major order, of d where the
// window's first maximum is this pixel: one work-item per pixel gathering them (no atomics).
__kernel void adaptive_max_pool_backward(const int c, const int h, const int w, const int oh, const int ow, const int total,
                                         __global const float* scores, const int so,
                                         __global const float* d, const int d_o,
                                         __global float* dx, const int xo)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    const int xx = z % w, yy = z / w % h, plane = z / (w * h), pixel = yy * w + xx;
    __global const float* s = scores + so + plane * h * w;
    float sum = 0.0f;
    for (int oy = (int)((long)yy * oh / h); oy <= (int)(((long)(yy + 1) * oh - 1) / h); oy++)
        for (int ox = (int)((long)xx * ow / w); ox <= (int)(((long)(xx + 1) * ow - 1) / w); ox++)
            if (adaptive_first_maximum(s, h, w, oh, ow, oy, ox) == pixel)
                sum += d[d_o + (plane * oh + oy) * ow + ox];
    dx[xo + z] = sum;
}

// 1/(rows·columns) of window (oy, ox), rounded once to float as the CPU's is.
float adaptive_scale(const int h, const int w, const int oh, const int ow, const int oy, const int ox)
{
    const long size = (long)(adaptive_end(oy, oh, h) - adaptive_start(oy, oh, h)) * (adaptive_end(ox, ow, w) - adaptive_start(ox, ow, w));
    return 1.0f / (float)size;
}

// y[plane, oy, ox] = the sum of the window's pixels in row-major order, times 1/(its size).
__kernel void adaptive_avg_pool(const int c, const int h, const int w, const int oh, const int ow, const int total,
                                __global const float* x, const int xo,
                                __global float* y, const int yo)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    const int ox = z % ow, oy = z / ow % oh, plane = z / (ow * oh);
    __global const float* image = x + xo + plane * h * w;
    float sum = 0.0f;
    for (int yy = adaptive_start(oy, oh, h); yy < adaptive_end(oy, oh, h); yy++)
        for (int xx = adaptive_start(ox, ow, w); xx < adaptive_end(ox, ow, w); xx++)
            sum += image[yy * w + xx];
    y[yo + z] = sum * adaptive_scale(h, w, oh, ow, oy, ox);
}

// dx[plane, y, x] = the sum, over the windows covering the pixel in row-major order, of d·1/(the
// window's size): one work-item per pixel.
__kernel void adaptive_avg_pool_backward(const int c, const int h, const int w, const int oh, const int ow, const int total,
                                         __global const float* d, const int d_o,
                                         __global float* dx, const int xo)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    const int xx = z % w, yy = z / w % h, plane = z / (w * h);
    float sum = 0.0f;
    for (int oy = (int)((long)yy * oh / h); oy <= (int)(((long)(yy + 1) * oh - 1) / h); oy++)
        for (int ox = (int)((long)xx * ow / w); ox <= (int)(((long)(xx + 1) * ow - 1) / w); ox++)
        {
            // Its own statement: the product rounds before the sum, as the CPU's does (no contraction).
            const float share = d[d_o + (plane * oh + oy) * ow + ox] * adaptive_scale(h, w, oh, ow, oy, ox);
            sum += share;
        }
    dx[xo + z] = sum;
}
