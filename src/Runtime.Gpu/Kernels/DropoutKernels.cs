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
    /// The same function as <see cref="Apply"/> in OpenCL C 1.2: the Philox helpers every fused kernel gets (<c>OpenClKernels.FusedPrelude</c>) and the kernel
    /// <c>dropout(n, x, xo, y, yo, seed_lo, seed_hi, site, step, start_lo, start_hi, threshold, scale)</c>,
    /// one work-item per element.
    /// </summary>
    public static string OpenClSource => OpenClSources.Philox + "\n\n" + OpenClSources.Dropout;
}
