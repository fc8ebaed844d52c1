// The fused convolution of Dsl.Kernels.Convolution.Forward and its two gradients in OpenCL C 1.2
// (issue 19), NCHW, as direct sums: one work-item per element of the result, no
// columns in memory and no atomics. A geometry is as convolution.cl's, then the output channels o;
// the weight is [o, c * kh * kw], PyTorch's layout, and the output [batch, o, oh * ow].

// y[e, oc, p] = sum over taps t = (ch * kh + i) * kw + j of w[oc, t] * x[e, ch, oy * sh - ph + i * dh, ox * sw - pw + j * dw].
__kernel void conv_forward(const int c, const int h, const int w, const int kh, const int kw, const int sh, const int sw,
                           const int ph, const int pw, const int dh, const int dw, const int oh, const int ow, const int o, const int total,
                           __global const float* x, const int xo,
                           __global const float* weight, const int wo,
                           __global float* y, const int yo)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    const int positions = oh * ow, p = z % positions, oc = z / positions % o, e = z / (positions * o);
    const int top = p / ow * sh - ph, left = p % ow * sw - pw;
    float sum = 0.0f;
    for (int ch = 0; ch < c; ch++)
        for (int i = 0; i < kh; i++)
        {
            const int yy = top + i * dh;
            if (yy < 0 || yy >= h) continue;
            for (int j = 0; j < kw; j++)
            {
                const int xx = left + j * dw;
                if (xx < 0 || xx >= w) continue;
                sum += weight[wo + oc * c * kh * kw + (ch * kh + i) * kw + j] * x[xo + ((e * c + ch) * h + yy) * w + xx];
            }
        }
    y[yo + z] = sum;
}

// dx[e, ch, yy, xx] = sum over the kernel offsets (i, j) and positions that read the pixel, then the
// output channels, of w[oc, (ch * kh + i) * kw + j] * dy[e, oc, oy * ow + ox]: one work-item per pixel.
__kernel void conv_input_grad(const int c, const int h, const int w, const int kh, const int kw, const int sh, const int sw,
                              const int ph, const int pw, const int dh, const int dw, const int oh, const int ow, const int o, const int total,
                              __global const float* dy, const int dyo,
                              __global const float* weight, const int wo,
                              __global float* dx, const int dxo)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    const int xx = z % w, yy = z / w % h, ch = z / (w * h) % c, e = z / (w * h * c);
    float sum = 0.0f;
    for (int i = 0; i < kh; i++)
    {
        const int rows = yy + ph - i * dh;
        if (rows < 0 || rows % sh != 0 || rows / sh >= oh) continue;
        const int oy = rows / sh;
        for (int j = 0; j < kw; j++)
        {
            const int cols = xx + pw - j * dw;
            if (cols < 0 || cols % sw != 0 || cols / sw >= ow) continue;
            const int p = oy * ow + cols / sw, t = (ch * kh + i) * kw + j;
            for (int oc = 0; oc < o; oc++)
                sum += weight[wo + oc * c * kh * kw + t] * dy[dyo + (e * o + oc) * oh * ow + p];
        }
    }
    dx[dxo + z] = sum;
}

// dw[oc, t] = sum over the examples and positions of dy[e, oc, p] * x at tap t of position p: one
// work-item per weight, summing in a fixed order (examples, then positions).
__kernel void conv_weight_grad(const int c, const int h, const int w, const int kh, const int kw, const int sh, const int sw,
                               const int ph, const int pw, const int dh, const int dw, const int oh, const int ow, const int o, const int batch,
                               const int total,
                               __global const float* dy, const int dyo,
                               __global const float* x, const int xo,
                               __global float* dwt, const int dwo)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    const int taps = c * kh * kw, t = z % taps, oc = z / taps;
    const int ch = t / (kh * kw), i = t / kw % kh, j = t % kw;
    float sum = 0.0f;
    for (int e = 0; e < batch; e++)
        for (int oy = 0; oy < oh; oy++)
        {
            const int yy = oy * sh - ph + i * dh;
            if (yy < 0 || yy >= h) continue;
            for (int ox = 0; ox < ow; ox++)
            {
                const int xx = ox * sw - pw + j * dw;
                if (xx < 0 || xx >= w) continue;
                sum += dy[dyo + (e * o + oc) * oh * ow + oy * ow + ox] * x[xo + ((e * c + ch) * h + yy) * w + xx];
            }
        }
    dwt[dwo + z] = sum;
}
