using System;
using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// The fused attention kernels of <c>attention.cl</c> (issue 20, item 3) as ILGPU kernels: one
/// query row (forward, the backward's dq) or key row (dk, dv) per step of a thread's grid-stride
/// loop, each weight recomputed from q and k where it is needed. Every view starts at its operand's offset.
/// </summary>
internal static class IlgpuAttentionKernels
{
    /// <summary>The heads of query row <c>row</c> of every (example, head): Σ_j P̃[i, j]·v[j].</summary>
    public static void Forward(int count, ArrayView<float> qkv, ArrayView<float> y, AttentionShape s)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            int u = z / s.Length, i = z % s.Length, d = s.Heads * s.HeadWidth, w = 3 * d;
            long x = ((long)(u / s.Heads) * s.Length * w) + ((u % s.Heads) * s.HeadWidth);
            long q = x + ((long)i * w), output = ((((long)(u / s.Heads) * s.Length) + i) * d) + ((u % s.Heads) * s.HeadWidth);
            int n = s.Causal != 0 ? i + 1 : s.Length;
            float max = RowMax(qkv, q, x + d, w, n, s);
            float inverse = 1f / RowSum(qkv, q, x + d, w, n, s, max);
            ulong first = (((ulong)u * (ulong)s.Length) + (ulong)i) * (ulong)s.Length;
            for (int c = 0; c < s.HeadWidth; c++)
                y[output + c] = 0f;
            for (int j = 0; j < n; j++)
            {
                float p = Drop(MathF.Exp(Score(qkv, q, qkv, x + d + ((long)j * w), s.HeadWidth, s.Scale) - max) * inverse, first + (ulong)j, s);
                for (int c = 0; c < s.HeadWidth; c++)
                    y[output + c] += p * qkv[x + (2 * d) + ((long)j * w) + c];
            }
        }
    }

    /// <summary>dq of every query row: scale · Σ_j P⊙(dP − D)·k[j].</summary>
    public static void BackwardQueries(int count, ArrayView<float> qkv, ArrayView<float> g, ArrayView<float> r, AttentionShape s)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            int u = z / s.Length, i = z % s.Length, d = s.Heads * s.HeadWidth, w = 3 * d;
            long example = u / s.Heads, column = (u % s.Heads) * s.HeadWidth;
            long x = (example * s.Length * w) + column, q = x + ((long)i * w);
            long gi = (((example * s.Length) + i) * d) + column, dq = (((example * s.Length) + i) * w) + column;
            int n = s.Causal != 0 ? i + 1 : s.Length;
            float max = RowMax(qkv, q, x + d, w, n, s);
            float inverse = 1f / RowSum(qkv, q, x + d, w, n, s, max);
            ulong first = (((ulong)u * (ulong)s.Length) + (ulong)i) * (ulong)s.Length;
            float dot = RowDot(qkv, g, q, gi, x, w, n, s, max, inverse, first);
            for (int c = 0; c < s.HeadWidth; c++)
                r[dq + c] = 0f;
            for (int j = 0; j < n; j++)
            {
                float p = MathF.Exp(Score(qkv, q, qkv, x + d + ((long)j * w), s.HeadWidth, s.Scale) - max) * inverse;
                float dp = Drop(Score(g, gi, qkv, x + (2 * d) + ((long)j * w), s.HeadWidth, 1f), first + (ulong)j, s);
                float ds = p * (dp - dot);
                for (int c = 0; c < s.HeadWidth; c++)
                    r[dq + c] += ds * qkv[x + d + ((long)j * w) + c];
            }
            for (int c = 0; c < s.HeadWidth; c++)
                r[dq + c] *= s.Scale;
        }
    }

    /// <summary>dk and dv of every key row j: Σ over the query rows that see it of dS[i, j]·(scale·q[i]) and P̃[i, j]·ȳ[i].</summary>
    public static void BackwardKeys(int count, ArrayView<float> qkv, ArrayView<float> g, ArrayView<float> r, AttentionShape s)
    {
        for (int z = IlgpuGridStride.Start; z < count; z += IlgpuGridStride.Stride)
        {
            int u = z / s.Length, j = z % s.Length, d = s.Heads * s.HeadWidth, w = 3 * d;
            long example = u / s.Heads, column = (u % s.Heads) * s.HeadWidth;
            long x = (example * s.Length * w) + column;
            long dk = (((example * s.Length) + j) * w) + d + column, dv = dk + d;
            for (int c = 0; c < s.HeadWidth; c++)
            {
                r[dk + c] = 0f;
                r[dv + c] = 0f;
            }
            for (int i = s.Causal != 0 ? j : 0; i < s.Length; i++)
            {
                long q = x + ((long)i * w), gi = (((example * s.Length) + i) * d) + column;
                int n = s.Causal != 0 ? i + 1 : s.Length;
                float max = RowMax(qkv, q, x + d, w, n, s);
                float inverse = 1f / RowSum(qkv, q, x + d, w, n, s, max);
                ulong first = (((ulong)u * (ulong)s.Length) + (ulong)i) * (ulong)s.Length;
                float dot = RowDot(qkv, g, q, gi, x, w, n, s, max, inverse, first);
                float p = MathF.Exp(Score(qkv, q, qkv, x + d + ((long)j * w), s.HeadWidth, s.Scale) - max) * inverse;
                float dp = Drop(Score(g, gi, qkv, x + (2 * d) + ((long)j * w), s.HeadWidth, 1f), first + (ulong)j, s);
                float ds = p * (dp - dot), dropped = Drop(p, first + (ulong)j, s);
                for (int c = 0; c < s.HeadWidth; c++)
                {
                    r[dk + c] += ds * (s.Scale * qkv[q + c]);
                    r[dv + c] += dropped * g[gi + c];
                }
            }
        }
    }

    /// <summary>Σ_c (scale·a[c])·b[c], a scaled and rounded first.</summary>
    private static float Score(ArrayView<float> a, long at, ArrayView<float> b, long bt, int width, float scale)
    {
        float sum = 0f;
        for (int c = 0; c < width; c++)
            sum += scale * a[at + c] * b[bt + c];
        return sum;
    }

    private static float RowMax(ArrayView<float> qkv, long q, long keys, int w, int n, AttentionShape s)
    {
        float max = float.NegativeInfinity;
        for (int j = 0; j < n; j++)
            max = Math.Max(max, Score(qkv, q, qkv, keys + ((long)j * w), s.HeadWidth, s.Scale));
        return max;
    }

    private static float RowSum(ArrayView<float> qkv, long q, long keys, int w, int n, AttentionShape s, float max)
    {
        float sum = 0f;
        for (int j = 0; j < n; j++)
            sum += MathF.Exp(Score(qkv, q, qkv, keys + ((long)j * w), s.HeadWidth, s.Scale) - max);
        return sum;
    }

    /// <summary>D = Σ_j P[j]·dP[j] of one query row, dP the dropped ȳ·vᵀ.</summary>
    private static float RowDot(ArrayView<float> qkv, ArrayView<float> g, long q, long gi, long x, int w, int n, AttentionShape s, float max, float inverse, ulong first)
    {
        int d = s.Heads * s.HeadWidth;
        float dot = 0f;
        for (int j = 0; j < n; j++)
        {
            float p = MathF.Exp(Score(qkv, q, qkv, x + d + ((long)j * w), s.HeadWidth, s.Scale) - max) * inverse;
            float dp = Drop(Score(g, gi, qkv, x + (2 * d) + ((long)j * w), s.HeadWidth, 1f), first + (ulong)j, s);
            dot += p * dp;
        }
        return dot;
    }

    /// <summary>x dropped at stream position <paramref name="index"/> (x itself without dropout).</summary>
    private static float Drop(float x, ulong index, AttentionShape s)
    {
        if (s.Drop == 0)
            return x;
        uint bits = IlgpuPhilox.Draw((uint)index, (uint)(index >> 32), s.Site, s.Step, s.SeedLow, s.SeedHigh);
        return bits >> 8 >= s.Threshold ? x * s.Keep : 0f;
    }
}

/// <summary>The sizes and scalars of <see cref="IlgpuAttentionKernels"/> (one kernel argument).</summary>
internal readonly record struct AttentionShape(
    int Length, int Heads, int HeadWidth, int Causal, float Scale, uint SeedLow, uint SeedHigh, uint Site, uint Step, uint Threshold, float Keep, int Drop);
