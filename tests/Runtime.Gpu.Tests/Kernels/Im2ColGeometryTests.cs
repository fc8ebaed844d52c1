using System;
using System.Linq;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

/// <summary>
/// The CPU im2col against its definition written out per tap, on geometries that reach each of its
/// paths: windows clipped by the side padding on the left, the right or both, windows clear of it
/// with and without dilation, and no window clear of it at all.
/// </summary>
public sealed class Im2ColGeometryTests
{
    [Theory]
    [InlineData(2, 3, 7, 9, 3, 3, 1, 1, 1, 1, 1, 1)]   // the residual stack's 3x3, padding 1
    [InlineData(1, 2, 6, 11, 2, 5, 1, 2, 0, 2, 1, 1)]  // wide kernel, stride 2, padding 2 along the rows
    [InlineData(2, 1, 5, 10, 3, 3, 2, 3, 1, 3, 2, 2)]  // dilated, strided and padded on both axes
    [InlineData(1, 2, 4, 4, 3, 5, 1, 1, 1, 2, 1, 1)]   // no window clear of the side padding
    [InlineData(3, 2, 8, 8, 5, 5, 1, 1, 0, 0, 1, 1)]   // LeNet's 5x5, no padding
    public void Im2ColCopiesEachTapOrWritesZero(int batch, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw)
    {
        int oh = ((h + (2 * ph) - (dh * (kh - 1)) - 1) / sh) + 1, ow = ((w + (2 * pw) - (dw * (kw - 1)) - 1) / sw) + 1;
        int taps = c * kh * kw;
        float[] x = Enumerable.Range(1, batch * c * h * w).Select(i => (float)i).ToArray();
        float[] cols = Enumerable.Repeat(float.NaN, batch * oh * ow * taps).ToArray(); // every float must be written
        Convolution.Im2Col(x, cols, batch, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw);
        for (int e = 0; e < batch; e++)
            for (int p = 0; p < oh * ow; p++)
                for (int ch = 0; ch < c; ch++)
                    for (int i = 0; i < kh; i++)
                        for (int j = 0; j < kw; j++)
                        {
                            int y = (p / ow * sh) - ph + (i * dh), xx = (p % ow * sw) - pw + (j * dw);
                            float expected = y < 0 || y >= h || xx < 0 || xx >= w ? 0f : x[(((e * c) + ch) * h + y) * w + xx];
                            Assert.Equal(expected, cols[(((e * oh * ow) + p) * taps) + (((ch * kh) + i) * kw) + j]);
                        }
    }
}
