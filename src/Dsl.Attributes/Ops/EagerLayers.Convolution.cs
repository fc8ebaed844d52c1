using System;

namespace Dsl;

// The convolution and pooling layers (issue 19), computed directly from their definitions in
// double precision: the reference the compiled im2col + GEMM programs are tested against.
public static partial class EagerLayers
{
    /// <summary>
    /// A 2-D convolution, as <c>torch.nn.Conv2d</c> (one group):
    /// <c>y[o, oy, ox] = bias[o] + Σ_c,i,j weight[o, c, i, j] · x[c, oy·s − p + i·d, ox·s − p + j·d]</c>,
    /// zero outside the image.
    /// </summary>
    /// <param name="x">The image, <c>[C, H, W]</c>.</param>
    /// <param name="weight">The kernels, <c>[out, C, kh, kw]</c>.</param>
    /// <param name="bias">The bias, <c>[out]</c>, or <see langword="null"/>.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Zeros on every side.</param>
    /// <param name="dilation">The spacing of a kernel's taps.</param>
    /// <returns>The output, <c>[out, OH, OW]</c>.</returns>
    /// <exception cref="ArgumentException">A shape does not fit the others, or the kernel does not fit the padded image.</exception>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int dilation = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (x.Rank != 3)
            throw new ArgumentException($"Conv2d: input {x.ShapeText} must be an image [C, H, W].", nameof(x));
        if (weight.Rank != 4 || weight.ShapeArray[1] != x.ShapeArray[0])
            throw new ArgumentException($"Conv2d: weight {weight.ShapeText} must be [out, {x.ShapeArray[0]}, kh, kw] for input {x.ShapeText}.", nameof(weight));
        int outChannels = weight.ShapeArray[0], channels = x.ShapeArray[0], height = x.ShapeArray[1], width = x.ShapeArray[2];
        int kh = weight.ShapeArray[2], kw = weight.ShapeArray[3];
        if (bias is not null && (bias.Rank != 1 || bias.ShapeArray[0] != outChannels))
            throw new ArgumentException($"Conv2d: bias {bias.ShapeText} must be [{outChannels}].", nameof(bias));
        int oh = WindowCount(height, kh, stride, padding, dilation), ow = WindowCount(width, kw, stride, padding, dilation);

        var y = new double[outChannels * oh * ow];
        for (int o = 0; o < outChannels; o++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    double sum = bias is null ? 0.0 : bias[o];
                    for (int c = 0; c < channels; c++)
                        for (int i = 0; i < kh; i++)
                            for (int j = 0; j < kw; j++)
                            {
                                int row = oy * stride - padding + i * dilation, col = ox * stride - padding + j * dilation;
                                if (row >= 0 && row < height && col >= 0 && col < width)
                                    sum += weight[((o * channels + c) * kh + i) * kw + j] * x[(c * height + row) * width + col];
                            }
                    y[(o * oh + oy) * ow + ox] = sum;
                }
        return Tensor.Create([outChannels, oh, ow], y);
    }

    /// <summary>A 1-D convolution, as <c>torch.nn.Conv1d</c>: <see cref="Conv2d"/> of a one-row image.</summary>
    /// <param name="x">The sequence, <c>[C, L]</c>.</param>
    /// <param name="weight">The kernels, <c>[out, C, k]</c>.</param>
    /// <param name="bias">The bias, <c>[out]</c>, or <see langword="null"/>.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Zeros at both ends.</param>
    /// <param name="dilation">The spacing of a kernel's taps.</param>
    /// <returns>The output, <c>[out, OL]</c>.</returns>
    /// <exception cref="ArgumentException">A shape does not fit the others, or the kernel does not fit the padded sequence.</exception>
    public static Tensor Conv1d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int dilation = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (x.Rank != 2)
            throw new ArgumentException($"Conv1d: input {x.ShapeText} must be a sequence [C, L].", nameof(x));
        if (weight.Rank != 3)
            throw new ArgumentException($"Conv1d: weight {weight.ShapeText} must be [out, C, k].", nameof(weight));
        int length = x.ShapeArray[1], k = weight.ShapeArray[2], outLength = WindowCount(length, k, stride, padding, dilation);
        Tensor image = Tensor.Create([x.ShapeArray[0], 1, length], Values(x));
        Tensor kernels = Tensor.Create([weight.ShapeArray[0], weight.ShapeArray[1], 1, k], Values(weight));
        return Tensor.Create([weight.ShapeArray[0], outLength], Values(Conv2dRows(image, kernels, bias, stride, padding, dilation)));
    }

    /// <summary>Max pooling, as <c>torch.nn.MaxPool2d</c>: the largest value of each window of each channel; padding never wins.</summary>
    /// <param name="x">The image, <c>[C, H, W]</c>.</param>
    /// <param name="kernelSize">The side of each square window.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Padding on every side.</param>
    /// <returns>The pooled image, <c>[C, OH, OW]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not an image, or the window does not fit.</exception>
    public static Tensor MaxPool2d(Tensor x, int kernelSize, int stride, int padding = 0) =>
        Pool(x, kernelSize, stride, padding, "MaxPool2d", (window, count) => window.Max);

    /// <summary>Average pooling, as <c>torch.nn.AvgPool2d</c>: the mean of each window, padding counted as zeros (count_include_pad).</summary>
    /// <param name="x">The image, <c>[C, H, W]</c>.</param>
    /// <param name="kernelSize">The side of each square window.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Zeros on every side.</param>
    /// <returns>The pooled image, <c>[C, OH, OW]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not an image, or the window does not fit.</exception>
    public static Tensor AvgPool2d(Tensor x, int kernelSize, int stride, int padding = 0) =>
        Pool(x, kernelSize, stride, padding, "AvgPool2d", (window, count) => window.Sum / count);

    /// <summary>Flatten, as <c>torch.nn.Flatten()</c> of one example: every element in row-major order, as a vector.</summary>
    /// <param name="x">The tensor.</param>
    /// <returns>The vector of its <c>x.Length</c> elements.</returns>
    public static Tensor Flatten(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Tensor.Create([x.Length], Values(x));
    }

    private static Tensor Conv2dRows(Tensor image, Tensor kernels, Tensor? bias, int stride, int padding, int dilation)
    {
        // A Conv1d pads only along its length: pad the one-row image's columns, not its rows.
        int channels = image.ShapeArray[0], length = image.ShapeArray[2], padded = length + 2 * padding;
        var values = new double[channels * padded];
        for (int c = 0; c < channels; c++)
            for (int l = 0; l < length; l++)
                values[c * padded + padding + l] = image[c * length + l];
        return Conv2d(Tensor.Create([channels, 1, padded], values), kernels, bias, stride, 0, dilation);
    }

    /// <summary>A pooling's windows, (the largest value, the sum) over the real pixels of each.</summary>
    private readonly record struct Window(double Max, double Sum);

    private static Tensor Pool(Tensor x, int kernelSize, int stride, int padding, string name, Func<Window, int, double> reduce)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3)
            throw new ArgumentException($"{name}: input {x.ShapeText} must be an image [C, H, W].", nameof(x));
        int channels = x.ShapeArray[0], height = x.ShapeArray[1], width = x.ShapeArray[2];
        int oh = WindowCount(height, kernelSize, stride, padding, 1), ow = WindowCount(width, kernelSize, stride, padding, 1);
        var y = new double[channels * oh * ow];
        for (int c = 0; c < channels; c++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    double max = double.NegativeInfinity, sum = 0.0;
                    for (int i = 0; i < kernelSize; i++)
                        for (int j = 0; j < kernelSize; j++)
                        {
                            int row = oy * stride - padding + i, col = ox * stride - padding + j;
                            if (row < 0 || row >= height || col < 0 || col >= width) continue;
                            double v = x[(c * height + row) * width + col];
                            max = Math.Max(max, v);
                            sum += v;
                        }
                    y[(c * oh + oy) * ow + ox] = reduce(new Window(max, sum), kernelSize * kernelSize);
                }
        return Tensor.Create([channels, oh, ow], y);
    }

    // How many windows fit along an axis: (length + 2·padding − dilation·(kernel − 1) − 1) / stride + 1.
    private static int WindowCount(int length, int kernel, int stride, int padding, int dilation)
    {
        if (kernel < 1 || stride < 1 || padding < 0 || dilation < 1)
            throw new ArgumentException($"Kernel {kernel}, stride {stride}, padding {padding} and dilation {dilation} must be positive (padding non-negative).");
        int room = length + 2 * padding - dilation * (kernel - 1) - 1;
        if (room < 0)
            throw new ArgumentException($"The kernel reaches {dilation * (kernel - 1) + 1}, more than the padded length {length + 2 * padding}.");
        return room / stride + 1;
    }

    private static double[] Values(Tensor x)
    {
        var values = new double[x.Length];
        for (int i = 0; i < values.Length; i++)
            values[i] = x[i];
        return values;
    }
}
