// Attention's head movement of Dsl.Kernels.Sequences in OpenCL C 1.2: one work-item per element of
// the heads, [batch, H, T, dh], so neighbouring work-items move neighbouring floats of a head.

// Head element z's place in the rows [batch, T, parts * heads * dh]: example e, head h, position t, column j.
int head_row_element(const int z, const int length, const int heads, const int headWidth, const int part, const int parts)
{
    const int e = z / (heads * length * headWidth), h = z / (length * headWidth) % heads;
    const int t = z / headWidth % length, j = z % headWidth;
    return (e * length + t) * parts * heads * headWidth + (part * heads + h) * headWidth + j;
}

// y[e, h, t, j] = x[e, t, (part * heads + h) * dh + j]: split_heads, one part of a fused projection cut into heads.
__kernel void split_heads(const int length, const int heads, const int headWidth, const int part, const int parts, const int total,
                          __global const float* x, const int xo,
                          __global float* y, const int yo)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    y[yo + z] = x[xo + head_row_element(z, length, heads, headWidth, part, parts)];
}

// y[e, t, (part * heads + h) * dh + j] = x[e, h, t, j], zero in the other parts: merge_heads.
// Work-items from total on write those zeros, (parts - 1) * heads * dh per row.
__kernel void merge_heads(const int length, const int heads, const int headWidth, const int part, const int parts, const int total,
                          __global const float* x, const int xo,
                          __global float* y, const int yo)
{
    const int z = get_global_id(0);
    if (z < total)
    {
        y[yo + head_row_element(z, length, heads, headWidth, part, parts)] = x[xo + z];
        return;
    }
    const int inPart = heads * headWidth, others = (parts - 1) * inPart, q = z - total;
    if (q >= total / inPart * others) return;
    const int row = q / others, c = q % others;
    y[yo + row * parts * inPart + (c < part * inPart ? c : c + inPart)] = 0.0f;
}
