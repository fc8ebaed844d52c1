using System;

namespace Dsl;

// The convolution and pooling layers (issue 19), computed directly from their definitions in
// double precision: the reference the compiled im2col + GEMM programs are tested against.
public static partial class EagerLayers
{
    /// <summary>
    /// A 2-D convolution, as <c>torch.nn.Conv2d</c>:
    /// <c>y[o, oy, ox] = bias[o] + Σ_c,i,j weight[o, c, i, j] · x[g·C/G + c, oy·s − p + i·d, ox·s − p + j·d]</c>
    /// over the C/G channels of output channel o's group g, zero outside the image.
    /// </summary>
    /// <param name="x">The image, <c>[C, H, W]</c>.</param>
    /// <param name="weight">The kernels, <c>[out, C/groups, kh, kw]</c>.</param>
    /// <param name="bias">The bias, <c>[out]</c>, or <see langword="null"/>.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Zeros on every side.</param>
    /// <param name="dilation">The spacing of a kernel's taps.</param>
    /// <param name="groups">The groups the channels are split into.</param>
    /// <returns>The output, <c>[out, OH, OW]</c>.</returns>
    /// <exception cref="ArgumentException">A shape does not fit the others, or the kernel does not fit the padded image.</exception>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        Conv2d(x, weight, bias, stride, stride, padding, padding, dilation, dilation, groups);

    /// <summary>A 2-D convolution with a stride, padding and dilation per axis (PyTorch's tuples), as <c>torch.nn.Conv2d</c>.</summary>
    /// <param name="x">The image, <c>[C, H, W]</c>.</param>
    /// <param name="weight">The kernels, <c>[out, C/groups, kh, kw]</c>.</param>
    /// <param name="bias">The bias, <c>[out]</c>, or <see langword="null"/>.</param>
    /// <param name="strideHeight">The step between windows down the rows.</param>
    /// <param name="strideWidth">The step between windows along the columns.</param>
    /// <param name="padHeight">Zero rows above and below.</param>
    /// <param name="padWidth">Zero columns left and right.</param>
    /// <param name="dilationHeight">The spacing of a kernel's taps down the rows.</param>
    /// <param name="dilationWidth">The spacing of a kernel's taps along the columns.</param>
    /// <param name="groups">The groups the channels are split into.</param>
    /// <returns>The output, <c>[out, OH, OW]</c>.</returns>
    /// <exception cref="ArgumentException">A shape does not fit the others, or the kernel does not fit the padded image.</exception>
    public static Tensor Conv2d(
        Tensor x, Tensor weight, Tensor? bias, int strideHeight, int strideWidth, int padHeight, int padWidth, int dilationHeight, int dilationWidth, int groups)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (x.Rank != 3)
            throw new ArgumentException($"Conv2d: input {x.ShapeText} must be an image [C, H, W].", nameof(x));
        int outChannels = weight.Rank == 4 ? weight.ShapeArray[0] : 0, channels = x.ShapeArray[0], height = x.ShapeArray[1], width = x.ShapeArray[2];
        if (groups < 1 || channels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv2d: groups {groups} must divide the input channels {channels} and the output channels {outChannels}.", nameof(groups));
        int share = channels / groups, outShare = outChannels / groups;
        if (weight.Rank != 4 || weight.ShapeArray[1] != share)
            throw new ArgumentException($"Conv2d: weight {weight.ShapeText} must be [out, {share}, kh, kw] for input {x.ShapeText} in {groups} groups.", nameof(weight));
        int kh = weight.ShapeArray[2], kw = weight.ShapeArray[3];
        if (bias is not null && (bias.Rank != 1 || bias.ShapeArray[0] != outChannels))
            throw new ArgumentException($"Conv2d: bias {bias.ShapeText} must be [{outChannels}].", nameof(bias));
        int oh = WindowCount(height, kh, strideHeight, padHeight, dilationHeight), ow = WindowCount(width, kw, strideWidth, padWidth, dilationWidth);

        var y = new double[outChannels * oh * ow];
        for (int o = 0; o < outChannels; o++)
        {
            int first = o / outShare * share;
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    double sum = bias is null ? 0.0 : bias[o];
                    for (int c = 0; c < share; c++)
                        for (int i = 0; i < kh; i++)
                            for (int j = 0; j < kw; j++)
                            {
                                int row = oy * strideHeight - padHeight + i * dilationHeight, col = ox * strideWidth - padWidth + j * dilationWidth;
                                if (row >= 0 && row < height && col >= 0 && col < width)
                                    sum += weight[((o * share + c) * kh + i) * kw + j] * x[((first + c) * height + row) * width + col];
                            }
                    y[(o * oh + oy) * ow + ox] = sum;
                }
        }
        return Tensor.Create([outChannels, oh, ow], y);
    }

    /// <summary>A 1-D convolution, as <c>torch.nn.Conv1d</c>: <c>Conv2d</c> of a one-row image.</summary>
    /// <param name="x">The sequence, <c>[C, L]</c>.</param>
    /// <param name="weight">The kernels, <c>[out, C/groups, k]</c>.</param>
    /// <param name="bias">The bias, <c>[out]</c>, or <see langword="null"/>.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Zeros at both ends.</param>
    /// <param name="dilation">The spacing of a kernel's taps.</param>
    /// <param name="groups">The groups the channels are split into.</param>
    /// <returns>The output, <c>[out, OL]</c>.</returns>
    /// <exception cref="ArgumentException">A shape does not fit the others, or the kernel does not fit the padded sequence.</exception>
    public static Tensor Conv1d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (x.Rank != 2)
            throw new ArgumentException($"Conv1d: input {x.ShapeText} must be a sequence [C, L].", nameof(x));
        if (weight.Rank != 3)
            throw new ArgumentException($"Conv1d: weight {weight.ShapeText} must be [out, C/groups, k].", nameof(weight));
        int length = x.ShapeArray[1], k = weight.ShapeArray[2], outLength = WindowCount(length, k, stride, padding, dilation);
        Tensor image = Tensor.Create([x.ShapeArray[0], 1, length], Values(x));
        Tensor kernels = Tensor.Create([weight.ShapeArray[0], weight.ShapeArray[1], 1, k], Values(weight));
        return Tensor.Create([weight.ShapeArray[0], outLength], Values(Conv2d(image, kernels, bias, 1, stride, 0, padding, 1, dilation, groups)));
    }

    /// <summary>Max pooling, as <c>torch.nn.MaxPool2d</c>: the largest value of each window of each channel; padding never wins.</summary>
    /// <param name="x">The image, <c>[C, H, W]</c>.</param>
    /// <param name="kernelSize">The side of each square window.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Padding on every side.</param>
    /// <returns>The pooled image, <c>[C, OH, OW]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not an image, or the window does not fit.</exception>
    public static Tensor MaxPool2d(Tensor x, int kernelSize, int stride, int padding = 0) =>
        MaxPool2d(x, kernelSize, kernelSize, stride, stride, padding, padding);

    /// <summary>Max pooling over windows of <paramref name="kernelHeight"/> by <paramref name="kernelWidth"/>, as <c>torch.nn.MaxPool2d</c> with tuples.</summary>
    /// <param name="x">The image, <c>[C, H, W]</c>.</param>
    /// <param name="kernelHeight">The rows of each window.</param>
    /// <param name="kernelWidth">The columns of each window.</param>
    /// <param name="strideHeight">The step down the rows.</param>
    /// <param name="strideWidth">The step along the columns.</param>
    /// <param name="padHeight">Padding above and below.</param>
    /// <param name="padWidth">Padding left and right.</param>
    /// <returns>The pooled image, <c>[C, OH, OW]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not an image, or the window does not fit.</exception>
    public static Tensor MaxPool2d(Tensor x, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padHeight, int padWidth) =>
        Pool(x, new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth), "MaxPool2d", (window, count) => window.Max);

    /// <summary>Average pooling, as <c>torch.nn.AvgPool2d</c>: the mean of each window, padding counted as zeros (count_include_pad).</summary>
    /// <param name="x">The image, <c>[C, H, W]</c>.</param>
    /// <param name="kernelSize">The side of each square window.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Zeros on every side.</param>
    /// <returns>The pooled image, <c>[C, OH, OW]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not an image, or the window does not fit.</exception>
    public static Tensor AvgPool2d(Tensor x, int kernelSize, int stride, int padding = 0) =>
        AvgPool2d(x, kernelSize, kernelSize, stride, stride, padding, padding);

    /// <summary>Average pooling over windows of <paramref name="kernelHeight"/> by <paramref name="kernelWidth"/>, as <c>torch.nn.AvgPool2d</c> with tuples (count_include_pad).</summary>
    /// <param name="x">The image, <c>[C, H, W]</c>.</param>
    /// <param name="kernelHeight">The rows of each window.</param>
    /// <param name="kernelWidth">The columns of each window.</param>
    /// <param name="strideHeight">The step down the rows.</param>
    /// <param name="strideWidth">The step along the columns.</param>
    /// <param name="padHeight">Zero rows above and below.</param>
    /// <param name="padWidth">Zero columns left and right.</param>
    /// <returns>The pooled image, <c>[C, OH, OW]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not an image, or the window does not fit.</exception>
    public static Tensor AvgPool2d(Tensor x, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padHeight, int padWidth) =>
        Pool(x, new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth), "AvgPool2d", (window, count) => window.Sum / count);

    /// <summary>
    /// Adaptive average pooling, as <c>torch.nn.AdaptiveAvgPool2d</c>: output (oy, ox) is the mean of
    /// rows ⌊oy·H/OH⌋ to ⌈(oy + 1)·H/OH⌉ − 1 and the columns likewise, of each channel.
    /// </summary>
    /// <param name="x">The image, <c>[C, H, W]</c>.</param>
    /// <param name="outputHeight">The rows of the output.</param>
    /// <param name="outputWidth">The columns of the output.</param>
    /// <returns>The pooled image, <c>[C, outputHeight, outputWidth]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not an image, or an output size is not positive.</exception>
    public static Tensor AdaptiveAvgPool2d(Tensor x, int outputHeight, int outputWidth)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3)
            throw new ArgumentException($"AdaptiveAvgPool2d: input {x.ShapeText} must be an image [C, H, W].", nameof(x));
        if (outputHeight < 1 || outputWidth < 1)
            throw new ArgumentException($"AdaptiveAvgPool2d: output {outputHeight}x{outputWidth} must be positive.");
        int channels = x.ShapeArray[0], height = x.ShapeArray[1], width = x.ShapeArray[2];
        var y = new double[channels * outputHeight * outputWidth];
        for (int c = 0; c < channels; c++)
            for (int oy = 0; oy < outputHeight; oy++)
                for (int ox = 0; ox < outputWidth; ox++)
                {
                    int top = oy * height / outputHeight, bottom = ((oy + 1) * height + outputHeight - 1) / outputHeight;
                    int left = ox * width / outputWidth, right = ((ox + 1) * width + outputWidth - 1) / outputWidth;
                    double sum = 0.0;
                    for (int row = top; row < bottom; row++)
                        for (int col = left; col < right; col++)
                            sum += x[(c * height + row) * width + col];
                    y[(c * outputHeight + oy) * outputWidth + ox] = sum / ((bottom - top) * (right - left));
                }
        return Tensor.Create([channels, outputHeight, outputWidth], y);
    }

    /// <summary>Flatten, as <c>torch.nn.Flatten()</c> of one example: every element in row-major order, as a vector.</summary>
    /// <param name="x">The tensor.</param>
    /// <returns>The vector of its <c>x.Length</c> elements.</returns>
    public static Tensor Flatten(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Tensor.Create([x.Length], Values(x));
    }

    /// <summary>A pooling's windows, (the largest value, the sum) over the real pixels of each.</summary>
    private readonly record struct Window(double Max, double Sum);

    /// <summary>A pooling window's kernel, stride and padding per axis.</summary>
    private readonly record struct PoolWindow(int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int PadHeight, int PadWidth);

    private static Tensor Pool(Tensor x, PoolWindow p, string name, Func<Window, int, double> reduce)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3)
            throw new ArgumentException($"{name}: input {x.ShapeText} must be an image [C, H, W].", nameof(x));
        int channels = x.ShapeArray[0], height = x.ShapeArray[1], width = x.ShapeArray[2];
        int oh = WindowCount(height, p.KernelHeight, p.StrideHeight, p.PadHeight, 1), ow = WindowCount(width, p.KernelWidth, p.StrideWidth, p.PadWidth, 1);
        var y = new double[channels * oh * ow];
        for (int c = 0; c < channels; c++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    double max = double.NegativeInfinity, sum = 0.0;
                    for (int i = 0; i < p.KernelHeight; i++)
                        for (int j = 0; j < p.KernelWidth; j++)
                        {
                            int row = oy * p.StrideHeight - p.PadHeight + i, col = ox * p.StrideWidth - p.PadWidth + j;
                            if (row < 0 || row >= height || col < 0 || col >= width) continue;
                            double v = x[(c * height + row) * width + col];
                            max = Math.Max(max, v);
                            sum += v;
                        }
                    y[(c * oh + oy) * ow + ox] = reduce(new Window(max, sum), p.KernelHeight * p.KernelWidth);
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
