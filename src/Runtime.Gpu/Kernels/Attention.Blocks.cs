using System;
using System.Runtime.Intrinsics;

namespace Dsl.Kernels;

/// <summary>
/// The register-blocked pieces of <see cref="Attention"/>: four query rows (or four keys) at a time,
/// so each load of a transposed head or a head row feeds four FMAs, as the GEMM's micro-kernels do.
/// </summary>
/// <remarks>
/// A 4 × 32 tile of sums is 16 Vector256 registers: with AVX-512's 32 registers the loads and
/// broadcasts fit beside them; on AVX2 alone some spill, which costs speed, not bits.
/// </remarks>
public static unsafe partial class Attention
{
    /// <summary>Query rows (or keys) per register tile.</summary>
    private const int TileRows = 4;

    /// <summary>
    /// s[r, j] = Σ_c x[r, c] · t[c, j] for the four rows r of x (<paramref name="xStride"/> apart, q
    /// already scaled) and j &lt; keys rounded up to 8 (16 with AVX-512); each row's product as <see cref="Scores"/> forms it.
    /// </summary>
    private static void Scores4(float* x, long xStride, float* t, int stride, int width, int keys, float* s, int sStride)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Scores4Wide(x, xStride, t, stride, width, keys, s, sStride);
            return;
        }

        float* x1 = x + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
        float* s1 = s + sStride, s2 = s1 + sStride, s3 = s2 + sStride;
        int vectors = (keys + 7) >> 3, v = 0;
        for (; v + 4 <= vectors; v += 4)
        {
            Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default;
            Vector256<float> a10 = default, a11 = default, a12 = default, a13 = default;
            Vector256<float> a20 = default, a21 = default, a22 = default, a23 = default;
            Vector256<float> a30 = default, a31 = default, a32 = default, a33 = default;
            float* column = t + 8 * v;
            for (int c = 0; c < width; c++, column += stride)
            {
                Vector256<float> b0 = Vector256.Load(column), b1 = Vector256.Load(column + 8);
                Vector256<float> b2 = Vector256.Load(column + 16), b3 = Vector256.Load(column + 24);
                Vector256<float> q = Vector256.Create(x[c]);
                a00 = Vector256.FusedMultiplyAdd(q, b0, a00); a01 = Vector256.FusedMultiplyAdd(q, b1, a01);
                a02 = Vector256.FusedMultiplyAdd(q, b2, a02); a03 = Vector256.FusedMultiplyAdd(q, b3, a03);
                q = Vector256.Create(x1[c]);
                a10 = Vector256.FusedMultiplyAdd(q, b0, a10); a11 = Vector256.FusedMultiplyAdd(q, b1, a11);
                a12 = Vector256.FusedMultiplyAdd(q, b2, a12); a13 = Vector256.FusedMultiplyAdd(q, b3, a13);
                q = Vector256.Create(x2[c]);
                a20 = Vector256.FusedMultiplyAdd(q, b0, a20); a21 = Vector256.FusedMultiplyAdd(q, b1, a21);
                a22 = Vector256.FusedMultiplyAdd(q, b2, a22); a23 = Vector256.FusedMultiplyAdd(q, b3, a23);
                q = Vector256.Create(x3[c]);
                a30 = Vector256.FusedMultiplyAdd(q, b0, a30); a31 = Vector256.FusedMultiplyAdd(q, b1, a31);
                a32 = Vector256.FusedMultiplyAdd(q, b2, a32); a33 = Vector256.FusedMultiplyAdd(q, b3, a33);
            }
            int o = 8 * v;
            a00.Store(s + o); a01.Store(s + o + 8); a02.Store(s + o + 16); a03.Store(s + o + 24);
            a10.Store(s1 + o); a11.Store(s1 + o + 8); a12.Store(s1 + o + 16); a13.Store(s1 + o + 24);
            a20.Store(s2 + o); a21.Store(s2 + o + 8); a22.Store(s2 + o + 16); a23.Store(s2 + o + 24);
            a30.Store(s3 + o); a31.Store(s3 + o + 8); a32.Store(s3 + o + 16); a33.Store(s3 + o + 24);
        }

        for (; v < vectors; v++)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            float* column = t + 8 * v;
            for (int c = 0; c < width; c++, column += stride)
            {
                Vector256<float> b = Vector256.Load(column);
                a0 = Vector256.FusedMultiplyAdd(Vector256.Create(x[c]), b, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Create(x1[c]), b, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.Create(x2[c]), b, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.Create(x3[c]), b, a3);
            }
            a0.Store(s + 8 * v); a1.Store(s1 + 8 * v); a2.Store(s2 + 8 * v); a3.Store(s3 + 8 * v);
        }
    }

    /// <summary>
    /// y[r, c] = scale · Σ_j w[r·wRowStride + j·wStride] · rows[j, c] (+ y[r, c] when
    /// <paramref name="accumulate"/>) for the four outputs r (<paramref name="yStride"/> apart),
    /// c &lt; width and j &lt; count: <see cref="Combine"/> for four weight rows (or columns) at once,
    /// each output's sum in the same order as <see cref="Combine"/> forms it.
    /// </summary>
    private static void Combine4(float* w, long wStride, long wRowStride, int count, float* rows, long stride, int width, float scale, float* y, long yStride, bool accumulate)
    {
        if (Vector512.IsHardwareAccelerated)
            Combine4Wide(w, wStride, wRowStride, count, rows, stride, width, scale, y, yStride, accumulate);
        else
            Combine4Narrow(w, wStride, wRowStride, count, rows, stride, width, scale, y, yStride, accumulate);
    }

    /// <summary><see cref="Combine4"/> in Vector256.</summary>
    private static void Combine4Narrow(float* w, long wStride, long wRowStride, int count, float* rows, long stride, int width, float scale, float* y, long yStride, bool accumulate)
    {
        float* w1 = w + wRowStride, w2 = w1 + wRowStride, w3 = w2 + wRowStride;
        float* y1 = y + yStride, y2 = y1 + yStride, y3 = y2 + yStride;
        int c = 0;
        for (; c + 32 <= width; c += 32)
        {
            Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default;
            Vector256<float> a10 = default, a11 = default, a12 = default, a13 = default;
            Vector256<float> a20 = default, a21 = default, a22 = default, a23 = default;
            Vector256<float> a30 = default, a31 = default, a32 = default, a33 = default;
            float* row = rows + c;
            long at = 0;
            for (int j = 0; j < count; j++, row += stride, at += wStride)
            {
                Vector256<float> b0 = Vector256.Load(row), b1 = Vector256.Load(row + 8);
                Vector256<float> b2 = Vector256.Load(row + 16), b3 = Vector256.Load(row + 24);
                Vector256<float> p = Vector256.Create(w[at]);
                a00 = Vector256.FusedMultiplyAdd(p, b0, a00); a01 = Vector256.FusedMultiplyAdd(p, b1, a01);
                a02 = Vector256.FusedMultiplyAdd(p, b2, a02); a03 = Vector256.FusedMultiplyAdd(p, b3, a03);
                p = Vector256.Create(w1[at]);
                a10 = Vector256.FusedMultiplyAdd(p, b0, a10); a11 = Vector256.FusedMultiplyAdd(p, b1, a11);
                a12 = Vector256.FusedMultiplyAdd(p, b2, a12); a13 = Vector256.FusedMultiplyAdd(p, b3, a13);
                p = Vector256.Create(w2[at]);
                a20 = Vector256.FusedMultiplyAdd(p, b0, a20); a21 = Vector256.FusedMultiplyAdd(p, b1, a21);
                a22 = Vector256.FusedMultiplyAdd(p, b2, a22); a23 = Vector256.FusedMultiplyAdd(p, b3, a23);
                p = Vector256.Create(w3[at]);
                a30 = Vector256.FusedMultiplyAdd(p, b0, a30); a31 = Vector256.FusedMultiplyAdd(p, b1, a31);
                a32 = Vector256.FusedMultiplyAdd(p, b2, a32); a33 = Vector256.FusedMultiplyAdd(p, b3, a33);
            }
            Store(a00, scale, y + c, accumulate); Store(a01, scale, y + c + 8, accumulate);
            Store(a02, scale, y + c + 16, accumulate); Store(a03, scale, y + c + 24, accumulate);
            Store(a10, scale, y1 + c, accumulate); Store(a11, scale, y1 + c + 8, accumulate);
            Store(a12, scale, y1 + c + 16, accumulate); Store(a13, scale, y1 + c + 24, accumulate);
            Store(a20, scale, y2 + c, accumulate); Store(a21, scale, y2 + c + 8, accumulate);
            Store(a22, scale, y2 + c + 16, accumulate); Store(a23, scale, y2 + c + 24, accumulate);
            Store(a30, scale, y3 + c, accumulate); Store(a31, scale, y3 + c + 8, accumulate);
            Store(a32, scale, y3 + c + 16, accumulate); Store(a33, scale, y3 + c + 24, accumulate);
        }

        for (; c + 8 <= width; c += 8)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            float* row = rows + c;
            long at = 0;
            for (int j = 0; j < count; j++, row += stride, at += wStride)
            {
                Vector256<float> b = Vector256.Load(row);
                a0 = Vector256.FusedMultiplyAdd(Vector256.Create(w[at]), b, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Create(w1[at]), b, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.Create(w2[at]), b, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.Create(w3[at]), b, a3);
            }
            Store(a0, scale, y + c, accumulate); Store(a1, scale, y1 + c, accumulate);
            Store(a2, scale, y2 + c, accumulate); Store(a3, scale, y3 + c, accumulate);
        }

        if (c < width)
        {
            // The columns past whole vectors, one output at a time.
            int rest = width - c;
            Combine(w, wStride, count, rows + c, stride, rest, scale, y + c, accumulate);
            Combine(w1, wStride, count, rows + c, stride, rest, scale, y1 + c, accumulate);
            Combine(w2, wStride, count, rows + c, stride, rest, scale, y2 + c, accumulate);
            Combine(w3, wStride, count, rows + c, stride, rest, scale, y3 + c, accumulate);
        }
    }

    /// <summary>
    /// s[..visible] = softmax(s[..visible]) in place and s[visible..end] = 0, in registers: the max,
    /// the exponentials (SimdMath.Exp, bit-identical to Vector256.Exp and inlined under NativeAOT) and their sum in one pass, the scaling in a second. The zeros
    /// let the blocked products run over a whole tile's keys, the masked ones adding nothing.
    /// </summary>
    private static void SoftmaxRow(float* s, int visible, int end)
    {
        Vector256<int> lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        Vector256<float> negative = Vector256.Create(float.NegativeInfinity);
        int whole = visible & ~7, j = 0;
        Vector256<float> top = negative;
        for (; j < whole; j += 8)
            top = Vector256.Max(top, Vector256.Load(s + j));
        Vector256<float> tail = Vector256.LessThan(lanes, Vector256.Create(visible - whole)).AsSingle();
        if (whole < visible)
            top = Vector256.Max(top, Vector256.ConditionalSelect(tail, Vector256.Load(s + whole), negative));
        float max = float.NegativeInfinity;
        for (int l = 0; l < 8; l++)
            max = MathF.Max(max, top.GetElement(l));

        Vector256<float> shift = Vector256.Create(max), sum = Vector256<float>.Zero;
        for (j = 0; j < whole; j += 8)
        {
            Vector256<float> e = SimdMath.Exp(Vector256.Load(s + j) - shift);
            e.Store(s + j);
            sum += e;
        }
        if (whole < visible)
        {
            Vector256<float> e = SimdMath.Exp(Vector256.Load(s + whole) - shift) & tail;
            e.Store(s + whole);
            sum += e;
            j = whole + 8;
        }

        Vector256<float> inverse = Vector256.Create(1f / Vector256.Sum(sum));
        for (int k = 0; k < j; k += 8)
            (Vector256.Load(s + k) * inverse).Store(s + k);
        for (; j < end; j++)
            s[j] = 0f;
    }

    /// <summary>x[j] = 0 for j in [from, end).</summary>
    private static void Clear(float* x, int from, int end)
    {
        for (int j = from; j < end; j++)
            x[j] = 0f;
    }
}
