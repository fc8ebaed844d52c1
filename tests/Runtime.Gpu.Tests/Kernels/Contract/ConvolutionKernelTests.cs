using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// Issue 19's convolution kernels: im2col (copies, bit for bit), col2im (its transpose, sums within
/// 1e-6·(1 + |y|)) and max-pooling's first-maximum mask, on a geometry with stride, padding and
/// dilation different along each axis, from and to offsets into the buffers.
/// </summary>
public abstract class ConvolutionKernelTests : KernelContractTests
{
    // [3, 2, 5, 6] images; a 3x2 kernel, stride 2x1, padding 1x0, dilation 1x2: 3x4 outputs.
    private const int Batch = 3, C = 2, H = 5, W = 6, Kh = 3, Kw = 2, Sh = 2, Sw = 1, Ph = 1, Pw = 0, Dh = 1, Dw = 2;
    private const int Oh = ((H + (2 * Ph) - (Dh * (Kh - 1)) - 1) / Sh) + 1, Ow = ((W + (2 * Pw) - (Dw * (Kw - 1)) - 1) / Sw) + 1;
    private const int Taps = C * Kh * Kw, ColumnsSize = Batch * Oh * Ow * Taps, ImageSize = Batch * C * H * W;

    /// <summary>Calls <paramref name="visit"/>(image index, column index) for every tap that reads a pixel (not the padding).</summary>
    private static void ForEachTap(System.Action<int, int> visit)
    {
        for (int e = 0; e < Batch; e++)
            for (int p = 0; p < Oh * Ow; p++)
                for (int c = 0; c < C; c++)
                    for (int i = 0; i < Kh; i++)
                        for (int j = 0; j < Kw; j++)
                        {
                            int y = (p / Ow * Sh) - Ph + (i * Dh), x = (p % Ow * Sw) - Pw + (j * Dw);
                            if (y < 0 || y >= H || x < 0 || x >= W) continue;
                            visit((((e * C) + c) * H + y) * W + x, (((e * Oh * Ow) + p) * Taps) + (((c * Kh) + i) * Kw) + j);
                        }
    }

    [KernelFact]
    public void Im2ColCopiesEachReceptiveFieldWithZeroPadding()
    {
        float[] image = RandomFloats(1, 3 + ImageSize);
        Verify(
            h =>
            {
                var cols = h.Floats(RandomFloats(2, 2 + ColumnsSize)); // garbage the kernel must overwrite, padding included
                h.Kernels.Im2Col(Batch, C, H, W, Kh, Kw, Sh, Sw, Ph, Pw, Dh, Dw, h.Floats(image).Slice(3), cols.Slice(2));
                return h.Read(cols)[2..];
            },
            () =>
            {
                var cols = new double[ColumnsSize];
                ForEachTap((pixel, column) => cols[column] = image[3 + pixel]);
                return cols;
            },
            0);
    }

    [KernelFact]
    public void Col2ImAddsEveryTapBackIntoItsPixel()
    {
        float[] cols = RandomFloats(3, 1 + ColumnsSize);
        Verify(
            h =>
            {
                var image = h.Floats(RandomFloats(4, 5 + ImageSize));
                h.Kernels.Col2Im(Batch, C, H, W, Kh, Kw, Sh, Sw, Ph, Pw, Dh, Dw, h.Floats(cols).Slice(1), image.Slice(5));
                return h.Read(image)[5..];
            },
            () =>
            {
                var image = new double[ImageSize];
                ForEachTap((pixel, column) => image[pixel] += cols[1 + column]);
                return image;
            },
            1e-6);
    }
}
