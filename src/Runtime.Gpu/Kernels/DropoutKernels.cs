using System;

namespace Dsl.Kernels;

/// <summary>
/// Dropout as torch.nn.Dropout computes it in training, y = x · mask / (1 − p) with mask[i] = 1
/// when a uniform draw u ≥ p, the draws counter-based: element i's draw is a pure function of
/// (seed, site, step, i), so every backend, thread split and resumed run gets the same mask.
/// </summary>
/// <remarks>
/// <para>
/// The draw is Philox4x32-10 (<see cref="Philox"/>) under the key <c>seed</c>, counter words
/// (x0, x1) = i / 4, x2 = the dropout site, x3 = the training step; lane i % 4 of the block, its
/// top 24 bits k, is u = k · 2^-24. The comparison u ≥ p is made on integers, k ≥ ⌈p · 2^24⌉
/// (<see cref="Threshold"/>), so it does not depend on how a device rounds floats; the kept
/// values are multiplied by one float, <see cref="Scale"/>. OpenCL C evaluates the same words
/// the same way, so its masks are the CPU's bit for bit.
/// </para>
/// <para>
/// The op is linear in x with a diagonal Jacobian, so the same call on a cotangent or a tangent
/// (same seed, site and step) is its VJP and its JVP.
/// </para>
/// </remarks>
public static class DropoutKernels
{
    /// <summary>The integer form of p: an element is kept when the top 24 bits of its draw are at least this.</summary>
    /// <param name="p">The probability of dropping an element, in [0, 1).</param>
    /// <returns>⌈p · 2^24⌉.</returns>
    public static uint Threshold(float p)
    {
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "a dropout probability must lie in [0, 1)");
        return (uint)Math.Ceiling(p * (double)(1 << 24));
    }

    /// <summary>The factor kept elements are multiplied by: 1 / (1 − p), rounded once to float.</summary>
    /// <param name="p">The probability of dropping an element, in [0, 1).</param>
    /// <returns>The scale as a float.</returns>
    public static float Scale(float p)
    {
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "a dropout probability must lie in [0, 1)");
        return (float)(1.0 / (1.0 - p));
    }

    /// <summary>Whether element <paramref name="index"/> of the stream (seed, site, step) is kept.</summary>
    /// <param name="seed">The run's seed (the Philox key).</param>
    /// <param name="site">Which dropout call of the model.</param>
    /// <param name="step">The training step.</param>
    /// <param name="index">The element's position: example · size + element.</param>
    /// <param name="threshold">See <see cref="Threshold"/>.</param>
    /// <returns>True when the element is kept.</returns>
    public static bool Keeps(ulong seed, uint site, uint step, ulong index, uint threshold)
    {
        var (x0, x1, x2, x3) = Philox.Block(index >> 2, site | ((ulong)step << 32), seed);
        uint bits = (index & 3) switch { 0 => x0, 1 => x1, 2 => x2, _ => x3 };
        return bits >> 8 >= threshold;
    }

    /// <summary>
    /// y[i] = x[i] · scale where element <paramref name="start"/> + i is kept, else 0, for i &lt; count.
    /// </summary>
    /// <param name="x">The input, at least <paramref name="count"/> long.</param>
    /// <param name="y">The output, at least <paramref name="count"/> long; may be <paramref name="x"/> itself.</param>
    /// <param name="count">The number of elements.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="site">Which dropout call of the model.</param>
    /// <param name="step">The training step.</param>
    /// <param name="start">The stream position of x[0] (a row range's first element).</param>
    /// <param name="p">The probability of dropping an element, in [0, 1).</param>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y, int count, ulong seed, uint site, uint step, ulong start, float p)
    {
        if (x.Length < count) throw new ArgumentException($"x has {x.Length} elements; dropout over {count} needs at least that many", nameof(x));
        if (y.Length < count) throw new ArgumentException($"y has {y.Length} elements; dropout over {count} needs at least that many", nameof(y));
        uint threshold = Threshold(p);
        float scale = Scale(p);
        ulong counterHigh = site | ((ulong)step << 32);
        int i = 0;
        while (i < count)
        {
            // One block gives the draws of four consecutive elements.
            ulong position = start + (ulong)i;
            var (x0, x1, x2, x3) = Philox.Block(position >> 2, counterHigh, seed);
            for (int lane = (int)(position & 3); lane < 4 && i < count; lane++, i++)
            {
                uint bits = lane switch { 0 => x0, 1 => x1, 2 => x2, _ => x3 };
                y[i] = bits >> 8 >= threshold ? x[i] * scale : 0f;
            }
        }
    }

    /// <summary>
    /// The keep test in OpenCL C 1.2 (uint arithmetic, <c>mul_hi</c>): <c>philox4x32_10</c> and
    /// <c>dsl_dropout(x, index_lo, index_hi, site, step, seed_lo, seed_hi, threshold, scale)</c>, which a
    /// generated program's fused kernels call per element.
    /// </summary>
    public const string OpenClFunctions = """
        // Philox4x32-10 block (Random123's philox4x32_R with R = 10) of counter c under key (k0, k1).
        uint4 philox4x32_10(uint4 c, uint k0, uint k1)
        {
            for (int round = 0; round < 10; round++)
            {
                if (round > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
                const uint lo0 = 0xD2511F53u * c.x, hi0 = mul_hi(0xD2511F53u, c.x);
                const uint lo1 = 0xCD9E8D57u * c.z, hi1 = mul_hi(0xCD9E8D57u, c.z);
                c = (uint4)(hi1 ^ c.y ^ k0, lo1, hi0 ^ c.w ^ k1, lo0);
            }
            return c;
        }

        // x * scale when stream position (index_hi, index_lo) of (seed, site, step) is kept, else 0:
        // kept when the draw's top 24 bits >= threshold. Fused kernels call it per element.
        float dsl_dropout(const float x, const uint index_lo, const uint index_hi, const uint site, const uint step,
                          const uint seed_lo, const uint seed_hi, const uint threshold, const float scale)
        {
            const uint4 counter = (uint4)((index_lo >> 2) | (index_hi << 30), index_hi >> 2, site, step);
            const uint4 r = philox4x32_10(counter, seed_lo, seed_hi);
            const uint lane = index_lo & 3u;
            const uint bits = lane == 0u ? r.x : lane == 1u ? r.y : lane == 2u ? r.z : r.w;
            return (bits >> 8) >= threshold ? x * scale : 0.0f;
        }
        """;

    /// <summary>
    /// The same function as <see cref="Apply"/> in OpenCL C 1.2: <see cref="OpenClFunctions"/> and the kernel
    /// <c>dropout(n, x, xo, y, yo, seed_lo, seed_hi, site, step, start_lo, start_hi, threshold, scale)</c>,
    /// one work-item per element.
    /// </summary>
    public const string OpenClSource = OpenClFunctions + "\n\n" + """
        // y[yo + i] = dsl_dropout(x[xo + i], start + i, ...): one work-item per element.
        __kernel void dropout(const int n, __global const float* x, const int xo, __global float* y, const int yo,
                              const uint seed_lo, const uint seed_hi, const uint site, const uint step,
                              const uint start_lo, const uint start_hi, const uint threshold, const float scale)
        {
            const int i = get_global_id(0);
            if (i >= n) return;
            const uint index_lo = start_lo + (uint)i;
            const uint index_hi = start_hi + (index_lo < start_lo ? 1u : 0u);
            y[yo + i] = dsl_dropout(x[xo + i], index_lo, index_hi, site, step, seed_lo, seed_hi, threshold, scale);
        }
        """;
}
