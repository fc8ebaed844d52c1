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
