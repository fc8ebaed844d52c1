// Layer normalisation of Dsl.Kernels.LayerNormKernels in OpenCL C 1.2, one work-item per row, with
// the CPU's formulas and summation order: the mean, then the centred squares (two passes),
// r = 1 / sqrt(var + epsilon); the backward reads the forward's xhat and r.

// The row's mean and 1 / sqrt(var + epsilon).
float2 layer_norm_moments(__global const float* xr, const int n, const float epsilon)
{
    float sum = 0.0f;
    for (int c = 0; c < n; c++)
        sum += xr[c];
    const float mean = sum / n;
    float squares = 0.0f;
    for (int c = 0; c < n; c++)
        squares += (xr[c] - mean) * (xr[c] - mean);
    return (float2)(mean, 1.0f / sqrt(squares / n + epsilon));
}

// y[r, :] = (x[r, :] - mean) * r: layer_norm.
__kernel void layer_norm_rows(const int rows, const int cols, const float epsilon,
                              __global const float* x, const int xo,
                              __global float* y, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global const float* xr = x + xo + r * cols;
    const float2 moments = layer_norm_moments(xr, cols, epsilon);
    __global float* yr = y + yo + r * cols;
    for (int c = 0; c < cols; c++)
        yr[c] = (xr[c] - moments.x) * moments.y;
}

// y[r] = 1 / sqrt(var(x[r, :]) + epsilon): layer_norm_scale.
__kernel void layer_norm_scale_rows(const int rows, const int cols, const float epsilon,
                                    __global const float* x, const int xo,
                                    __global float* y, const int yo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    y[yo + r] = layer_norm_moments(x + xo + r * cols, cols, epsilon).y;
}

// dx[r, :] = scale[r] * (g - mean(g) - xhat * mean(g * xhat)): layer_norm_backward, from the
// forward's normalised rows xhat and scales.
__kernel void layer_norm_backward_rows(const int rows, const int cols,
                                       __global const float* xhat, const int xo,
                                       __global const float* scale, const int so,
                                       __global const float* g, const int go,
                                       __global float* dx, const int dxo)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global const float* xr = xhat + xo + r * cols;
    __global const float* gr = g + go + r * cols;
    float sumG = 0.0f, sumGx = 0.0f;
    for (int c = 0; c < cols; c++)
    {
        sumG += gr[c];
        sumGx += gr[c] * xr[c];
    }
    const float meanG = sumG / cols, meanGx = sumGx / cols, inverse = scale[so + r];
    __global float* dr = dx + dxo + r * cols;
    for (int c = 0; c < cols; c++)
        dr[c] = inverse * (gr[c] - meanG - xr[c] * meanGx);
}
