using System;

namespace Dsl;

// The 1-D and adaptive pooling layers (issue 19), computed directly from PyTorch's definitions in
// double precision: the reference the compiled pooling programs are tested against.
public static partial class EagerLayers
{
    /// <summary>
    /// Max pooling over a sequence, as <c>torch.nn.MaxPool1d</c>: output i is the largest of
    /// x[c, i·stride − padding + j·dilation] over the window's taps j inside the sequence.
    /// </summary>
    /// <param name="x">The sequence, <c>[C, L]</c>.</param>
    /// <param name="kernelSize">The taps of each window.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Padding at both ends, never the maximum.</param>
    /// <param name="dilation">The spacing of a window's taps.</param>
    /// <returns>The pooled sequence, <c>[C, OL]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not a sequence, or the window does not fit.</exception>
    public static Tensor MaxPool1d(Tensor x, int kernelSize, int stride, int padding = 0, int dilation = 1) =>
        Pool1d(x, kernelSize, stride, padding, dilation, "MaxPool1d", max: true);

    /// <summary>
    /// Average pooling over a sequence, as <c>torch.nn.AvgPool1d</c>: the mean of each window, padding
    /// counted as zeros (count_include_pad).
    /// </summary>
    /// <param name="x">The sequence, <c>[C, L]</c>.</param>
    /// <param name="kernelSize">The values of each window.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Zeros at both ends.</param>
    /// <returns>The pooled sequence, <c>[C, OL]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not a sequence, or the window does not fit.</exception>
    public static Tensor AvgPool1d(Tensor x, int kernelSize, int stride, int padding = 0) =>
        Pool1d(x, kernelSize, stride, padding, 1, "AvgPool1d", max: false);

    /// <summary>
    /// Adaptive average pooling over a sequence, as <c>torch.nn.AdaptiveAvgPool1d</c>: output i is the
    /// mean of positions ⌊i·L/n⌋ to ⌈(i+1)·L/n⌉ − 1 of each channel.
    /// </summary>
    /// <param name="x">The sequence, <c>[C, L]</c>.</param>
    /// <param name="outputSize">The length of the output, n.</param>
    /// <returns>The pooled sequence, <c>[C, n]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not a sequence, or the output size is not positive.</exception>
    public static Tensor AdaptiveAvgPool1d(Tensor x, int outputSize) => Adaptive1d(x, outputSize, "AdaptiveAvgPool1d", max: false);

    /// <summary>
    /// Adaptive max pooling over a sequence, as <c>torch.nn.AdaptiveMaxPool1d</c>: output i is the
    /// largest of positions ⌊i·L/n⌋ to ⌈(i+1)·L/n⌉ − 1 of each channel.
    /// </summary>
    /// <param name="x">The sequence, <c>[C, L]</c>.</param>
    /// <param name="outputSize">The length of the output, n.</param>
    /// <returns>The pooled sequence, <c>[C, n]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not a sequence, or the output size is not positive.</exception>
    public static Tensor AdaptiveMaxPool1d(Tensor x, int outputSize) => Adaptive1d(x, outputSize, "AdaptiveMaxPool1d", max: true);

    /// <summary>
    /// Adaptive max pooling, as <c>torch.nn.AdaptiveMaxPool2d</c>: output (oy, ox) is the largest of
    /// rows ⌊oy·H/OH⌋ to ⌈(oy + 1)·H/OH⌉ − 1 and the columns likewise, of each channel.
    /// </summary>
    /// <param name="x">The image, <c>[C, H, W]</c>.</param>
    /// <param name="outputHeight">The rows of the output.</param>
    /// <param name="outputWidth">The columns of the output.</param>
    /// <returns>The pooled image, <c>[C, outputHeight, outputWidth]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not an image, or an output size is not positive.</exception>
    public static Tensor AdaptiveMaxPool2d(Tensor x, int outputHeight, int outputWidth)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3)
            throw new ArgumentException($"AdaptiveMaxPool2d: input {x.ShapeText} must be an image [C, H, W].", nameof(x));
        return AdaptiveMax(x, x.ShapeArray[0], x.ShapeArray[1], x.ShapeArray[2], outputHeight, outputWidth, "AdaptiveMaxPool2d");
    }

    private static Tensor Pool1d(Tensor x, int kernelSize, int stride, int padding, int dilation, string name, bool max)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2)
            throw new ArgumentException($"{name}: input {x.ShapeText} must be a sequence [C, L].", nameof(x));
        int channels = x.ShapeArray[0], length = x.ShapeArray[1], outLength = WindowCount(length, kernelSize, stride, padding, dilation);
        var y = new double[channels * outLength];
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < outLength; i++)
            {
                double best = double.NegativeInfinity, sum = 0.0;
                for (int j = 0; j < kernelSize; j++)
                {
                    int at = i * stride - padding + j * dilation;
                    if (at < 0 || at >= length) continue;
                    best = Math.Max(best, x[c * length + at]);
                    sum += x[c * length + at];
                }
                y[c * outLength + i] = max ? best : sum / kernelSize;
            }
        return Tensor.Create([channels, outLength], y);
    }

    private static Tensor Adaptive1d(Tensor x, int outputSize, string name, bool max)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2)
            throw new ArgumentException($"{name}: input {x.ShapeText} must be a sequence [C, L].", nameof(x));
        int channels = x.ShapeArray[0], length = x.ShapeArray[1];
        Tensor image = Tensor.Create([channels, 1, length], Values(x));
        Tensor pooled = max ? AdaptiveMax(image, channels, 1, length, 1, outputSize, name) : AdaptiveAvgPool2d(image, 1, outputSize);
        return Tensor.Create([channels, outputSize], Values(pooled));
    }

    private static Tensor AdaptiveMax(Tensor x, int channels, int height, int width, int outputHeight, int outputWidth, string name)
    {
        if (outputHeight < 1 || outputWidth < 1)
            throw new ArgumentException($"{name}: output {outputHeight}x{outputWidth} must be positive.");
        var y = new double[channels * outputHeight * outputWidth];
        for (int c = 0; c < channels; c++)
            for (int oy = 0; oy < outputHeight; oy++)
                for (int ox = 0; ox < outputWidth; ox++)
                {
                    int top = oy * height / outputHeight, bottom = ((oy + 1) * height + outputHeight - 1) / outputHeight;
                    int left = ox * width / outputWidth, right = ((ox + 1) * width + outputWidth - 1) / outputWidth;
                    double best = double.NegativeInfinity;
                    for (int row = top; row < bottom; row++)
                        for (int col = left; col < right; col++)
                            best = Math.Max(best, x[(c * height + row) * width + col]);
                    y[(c * outputHeight + oy) * outputWidth + ox] = best;
                }
        return Tensor.Create([channels, outputHeight, outputWidth], y);
    }
}
