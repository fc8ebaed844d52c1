using System.Runtime.Intrinsics;

namespace Dsl.Kernels;

/// <summary>
/// <see cref="Attention"/>'s register tiles in Vector512 where AVX-512 is there: twice the lanes per
/// FMA, and each sum still runs over the same terms in the same order, so the bits are the Vector256
/// tiles' bits.
/// </summary>
public static unsafe partial class Attention
{
    /// <summary><see cref="Scores4"/> in Vector512: 4 rows × 64 keys of sums in 16 registers.</summary>
    private static void Scores4Wide(float* x, long xStride, float* t, int stride, int width, int keys, float* s, int sStride)
    {
        float* x1 = x + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
        float* s1 = s + sStride, s2 = s1 + sStride, s3 = s2 + sStride;
        int vectors = (keys + 15) >> 4, v = 0;
        for (; v + 4 <= vectors; v += 4)
        {
            Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
            Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
            Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
            Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
            float* column = t + 16 * v;
            for (int c = 0; c < width; c++, column += stride)
            {
                Vector512<float> b0 = Vector512.Load(column), b1 = Vector512.Load(column + 16);
                Vector512<float> b2 = Vector512.Load(column + 32), b3 = Vector512.Load(column + 48);
                Vector512<float> q = Vector512.Create(x[c]);
                a00 = Vector512.FusedMultiplyAdd(q, b0, a00); a01 = Vector512.FusedMultiplyAdd(q, b1, a01);
                a02 = Vector512.FusedMultiplyAdd(q, b2, a02); a03 = Vector512.FusedMultiplyAdd(q, b3, a03);
                q = Vector512.Create(x1[c]);
                a10 = Vector512.FusedMultiplyAdd(q, b0, a10); a11 = Vector512.FusedMultiplyAdd(q, b1, a11);
                a12 = Vector512.FusedMultiplyAdd(q, b2, a12); a13 = Vector512.FusedMultiplyAdd(q, b3, a13);
                q = Vector512.Create(x2[c]);
                a20 = Vector512.FusedMultiplyAdd(q, b0, a20); a21 = Vector512.FusedMultiplyAdd(q, b1, a21);
                a22 = Vector512.FusedMultiplyAdd(q, b2, a22); a23 = Vector512.FusedMultiplyAdd(q, b3, a23);
                q = Vector512.Create(x3[c]);
                a30 = Vector512.FusedMultiplyAdd(q, b0, a30); a31 = Vector512.FusedMultiplyAdd(q, b1, a31);
                a32 = Vector512.FusedMultiplyAdd(q, b2, a32); a33 = Vector512.FusedMultiplyAdd(q, b3, a33);
            }
            int o = 16 * v;
            a00.Store(s + o); a01.Store(s + o + 16); a02.Store(s + o + 32); a03.Store(s + o + 48);
            a10.Store(s1 + o); a11.Store(s1 + o + 16); a12.Store(s1 + o + 32); a13.Store(s1 + o + 48);
            a20.Store(s2 + o); a21.Store(s2 + o + 16); a22.Store(s2 + o + 32); a23.Store(s2 + o + 48);
            a30.Store(s3 + o); a31.Store(s3 + o + 16); a32.Store(s3 + o + 32); a33.Store(s3 + o + 48);
        }

        if (v + 2 <= vectors)
        {
            // Two vectors of keys share each broadcast: the tiles of a causal mask's first rows.
            Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default;
            Vector512<float> a20 = default, a21 = default, a30 = default, a31 = default;
            float* column = t + 16 * v;
            for (int c = 0; c < width; c++, column += stride)
            {
                Vector512<float> b0 = Vector512.Load(column), b1 = Vector512.Load(column + 16);
                Vector512<float> q = Vector512.Create(x[c]);
                a00 = Vector512.FusedMultiplyAdd(q, b0, a00); a01 = Vector512.FusedMultiplyAdd(q, b1, a01);
                q = Vector512.Create(x1[c]);
                a10 = Vector512.FusedMultiplyAdd(q, b0, a10); a11 = Vector512.FusedMultiplyAdd(q, b1, a11);
                q = Vector512.Create(x2[c]);
                a20 = Vector512.FusedMultiplyAdd(q, b0, a20); a21 = Vector512.FusedMultiplyAdd(q, b1, a21);
                q = Vector512.Create(x3[c]);
                a30 = Vector512.FusedMultiplyAdd(q, b0, a30); a31 = Vector512.FusedMultiplyAdd(q, b1, a31);
            }
            int o = 16 * v;
            a00.Store(s + o); a01.Store(s + o + 16); a10.Store(s1 + o); a11.Store(s1 + o + 16);
            a20.Store(s2 + o); a21.Store(s2 + o + 16); a30.Store(s3 + o); a31.Store(s3 + o + 16);
            v += 2;
        }

        for (; v < vectors; v++)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            float* column = t + 16 * v;
            for (int c = 0; c < width; c++, column += stride)
            {
                Vector512<float> b = Vector512.Load(column);
                a0 = Vector512.FusedMultiplyAdd(Vector512.Create(x[c]), b, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Create(x1[c]), b, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.Create(x2[c]), b, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.Create(x3[c]), b, a3);
            }
            a0.Store(s + 16 * v); a1.Store(s1 + 16 * v); a2.Store(s2 + 16 * v); a3.Store(s3 + 16 * v);
        }
    }

    /// <summary><see cref="Combine4"/> in Vector512 for whole 16-column runs; the columns past them go to <see cref="Combine4"/>'s Vector256 path.</summary>
    private static void Combine4Wide(float* w, long wStride, long wRowStride, int count, float* rows, long stride, int width, float scale, float* y, long yStride, bool accumulate)
    {
        float* w1 = w + wRowStride, w2 = w1 + wRowStride, w3 = w2 + wRowStride;
        float* y1 = y + yStride, y2 = y1 + yStride, y3 = y2 + yStride;
        int c = 0;
        for (; c + 32 <= width; c += 32)
        {
            Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default;
            Vector512<float> a20 = default, a21 = default, a30 = default, a31 = default;
            float* row = rows + c;
            long at = 0;
            for (int j = 0; j < count; j++, row += stride, at += wStride)
            {
                Vector512<float> b0 = Vector512.Load(row), b1 = Vector512.Load(row + 16);
                Vector512<float> p = Vector512.Create(w[at]);
                a00 = Vector512.FusedMultiplyAdd(p, b0, a00); a01 = Vector512.FusedMultiplyAdd(p, b1, a01);
                p = Vector512.Create(w1[at]);
                a10 = Vector512.FusedMultiplyAdd(p, b0, a10); a11 = Vector512.FusedMultiplyAdd(p, b1, a11);
                p = Vector512.Create(w2[at]);
                a20 = Vector512.FusedMultiplyAdd(p, b0, a20); a21 = Vector512.FusedMultiplyAdd(p, b1, a21);
                p = Vector512.Create(w3[at]);
                a30 = Vector512.FusedMultiplyAdd(p, b0, a30); a31 = Vector512.FusedMultiplyAdd(p, b1, a31);
            }
            Store(a00, scale, y + c, accumulate); Store(a01, scale, y + c + 16, accumulate);
            Store(a10, scale, y1 + c, accumulate); Store(a11, scale, y1 + c + 16, accumulate);
            Store(a20, scale, y2 + c, accumulate); Store(a21, scale, y2 + c + 16, accumulate);
            Store(a30, scale, y3 + c, accumulate); Store(a31, scale, y3 + c + 16, accumulate);
        }

        for (; c + 16 <= width; c += 16)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            float* row = rows + c;
            long at = 0;
            for (int j = 0; j < count; j++, row += stride, at += wStride)
            {
                Vector512<float> b = Vector512.Load(row);
                a0 = Vector512.FusedMultiplyAdd(Vector512.Create(w[at]), b, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Create(w1[at]), b, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.Create(w2[at]), b, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.Create(w3[at]), b, a3);
            }
            Store(a0, scale, y + c, accumulate); Store(a1, scale, y1 + c, accumulate);
            Store(a2, scale, y2 + c, accumulate); Store(a3, scale, y3 + c, accumulate);
        }

        if (c < width)
            Combine4Narrow(w, wStride, wRowStride, count, rows + c, stride, width - c, scale, y + c, yStride, accumulate);
    }

    private static void Store(Vector512<float> sum, float scale, float* y, bool accumulate) =>
        (accumulate ? Vector512.Load(y) + sum * scale : sum * scale).Store(y);
}
