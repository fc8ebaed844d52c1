// The convolution kernels of Dsl.Kernels.Convolution in OpenCL C 1.2 (issue 19), NCHW. A geometry
// is the image (c, h, w), kernel (kh, kw), stride (sh, sw), padding (ph, pw), dilation (dh, dw) and
// the output (oh, ow); a row of the columns is [c, kh, kw], PyTorch's weight layout.

// cols[e, p, (ch * kh + i) * kw + j] = x[e, ch, oy * sh - ph + i * dh, ox * sw - pw + j * dw], zero in
// the padding: one work-item per element of the columns, so neighbours write neighbouring floats.
__kernel void im2col(const int c, const int h, const int w, const int kh, const int kw, const int sh, const int sw,
                     const int ph, const int pw, const int dh, const int dw, const int oh, const int ow, const int total,
                     __global const float* x, const int xo,
                     __global float* cols, const int co)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    const int rowWidth = c * kh * kw, k = z % rowWidth, p = z / rowWidth % (oh * ow), e = z / (rowWidth * oh * ow);
    const int ch = k / (kh * kw), i = k / kw % kh, j = k % kw;
    const int y = p / ow * sh - ph + i * dh, xx = p % ow * sw - pw + j * dw;
    cols[co + z] = y >= 0 && y < h && xx >= 0 && xx < w ? x[xo + ((e * c + ch) * h + y) * w + xx] : 0.0f;
}

// x[e, ch, y, xx] = the sum of the columns' elements im2col read from it: one work-item per pixel
// gathers them (no atomics), over the kernel offsets in the CPU's order within each position.
__kernel void col2im(const int c, const int h, const int w, const int kh, const int kw, const int sh, const int sw,
                     const int ph, const int pw, const int dh, const int dw, const int oh, const int ow, const int total,
                     __global const float* cols, const int co,
                     __global float* x, const int xo)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    const int xx = z % w, y = z / w % h, ch = z / (w * h) % c, e = z / (w * h * c);
    const int rowWidth = c * kh * kw;
    float sum = 0.0f;
    for (int oy = 0; oy < oh; oy++)
    {
        const int dy = y + ph - oy * sh;
        if (dy < 0 || dy % dh != 0 || dy / dh >= kh) continue;
        const int i = dy / dh;
        for (int ox = 0; ox < ow; ox++)
        {
            const int dx = xx + pw - ox * sw;
            if (dx < 0 || dx % dw != 0 || dx / dw >= kw) continue;
            sum += cols[co + (e * oh * ow + oy * ow + ox) * rowWidth + (ch * kh + i) * kw + dx / dw];
        }
    }
    x[xo + z] = sum;
}
