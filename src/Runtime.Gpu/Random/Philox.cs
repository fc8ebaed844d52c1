using System;
using System.Runtime.CompilerServices;

namespace Dsl;

/// <summary>
/// Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel
/// Random Numbers: As Easy as 1, 2, 3" (SC'11), as in D. E. Shaw Research's Random123 library.
/// </summary>
/// <remarks>
/// <para>
/// A counter-based generator is a pure function of (counter, key): there is no state to carry,
/// so any element of a random stream can be computed on its own, in any order, on any thread or
/// device. That is what makes parameter initialisation and dropout masks identical on the CPU,
/// OpenCL and CUDA backends: each backend evaluates the same function of (seed, site, index).
/// </para>
/// <para>
/// Conventions used throughout the DSL: the 64-bit key is the user's seed, the high 64 bits of
/// the counter name the <em>site</em> (a parameter, a dropout call, a step), and the low 64 bits
/// count blocks of four outputs, so element <c>i</c> of a stream is lane <c>i % 4</c> of block
/// <c>i / 4</c>.
/// </para>
/// </remarks>
public static class Philox
{
    // Round multipliers and Weyl key increments from Random123's philox.h.
    private const uint M0 = 0xD2511F53;
    private const uint M1 = 0xCD9E8D57;
    private const uint W0 = 0x9E3779B9;
    private const uint W1 = 0xBB67AE85;

    /// <summary>The spacing of <see cref="Uniform"/>'s outputs: 2^-24, one float ulp just below 1.</summary>
    private const float Inverse2To24 = 1f / (1 << 24);

    /// <summary>Computes one Philox4x32-10 block: ten rounds over a 128-bit counter under a 64-bit key.</summary>
    /// <param name="counterLow">Counter words 0 (low 32 bits) and 1 (high 32 bits).</param>
    /// <param name="counterHigh">Counter words 2 (low 32 bits) and 3 (high 32 bits).</param>
    /// <param name="key">Key words 0 (low 32 bits) and 1 (high 32 bits).</param>
    /// <returns>The four 32-bit output words, in Random123's order.</returns>
    public static (uint X0, uint X1, uint X2, uint X3) Block(ulong counterLow, ulong counterHigh, ulong key)
    {
        uint x0 = (uint)counterLow, x1 = (uint)(counterLow >> 32);
        uint x2 = (uint)counterHigh, x3 = (uint)(counterHigh >> 32);
        uint k0 = (uint)key, k1 = (uint)(key >> 32);

        for (int round = 0; round < 10; round++)
        {
            // The key schedule is bumped before every round but the first (Random123's philox4x32_R).
            if (round > 0)
            {
                k0 += W0;
                k1 += W1;
            }

            ulong p0 = (ulong)M0 * x0;
            ulong p1 = (ulong)M1 * x2;
            uint y0 = (uint)(p1 >> 32) ^ x1 ^ k0;
            uint y2 = (uint)(p0 >> 32) ^ x3 ^ k1;
            x1 = (uint)p1;
            x3 = (uint)p0;
            x0 = y0;
            x2 = y2;
        }

        return (x0, x1, x2, x3);
    }

    /// <summary>
    /// Element <paramref name="index"/> of the uniform stream named by (<paramref name="seed"/>,
    /// <paramref name="site"/>), in [0, 1) with 24 random bits (every float the interval holds at
    /// spacing 2^-24).
    /// </summary>
    /// <param name="seed">The user's seed (the Philox key).</param>
    /// <param name="site">Which stream: a parameter index, a dropout site, a step.</param>
    /// <param name="index">The element's position in the stream.</param>
    /// <returns>A float in [0, 1).</returns>
    public static float Uniform(ulong seed, ulong site, ulong index)
    {
        var (x0, x1, x2, x3) = Block(index >> 2, site, seed);
        uint bits = (index & 3) switch { 0 => x0, 1 => x1, 2 => x2, _ => x3 };
        return ToUnit(bits);
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with elements <paramref name="start"/>,
    /// <paramref name="start"/>+1, ... of the stream (seed, site) mapped to [<paramref name="low"/>,
    /// <paramref name="high"/>]; element <c>i</c> equals <c>low + (high - low) * Uniform(seed, site, start + i)</c>.
    /// </summary>
    /// <param name="seed">The user's seed.</param>
    /// <param name="site">Which stream.</param>
    /// <param name="start">The stream position of <c>destination[0]</c>.</param>
    /// <param name="destination">Where to write.</param>
    /// <param name="low">The lower bound.</param>
    /// <param name="high">The upper bound (reachable only through rounding).</param>
    public static void FillUniform(ulong seed, ulong site, ulong start, Span<float> destination, float low = 0f, float high = 1f)
    {
        // One block gives four consecutive elements, so whole blocks cost a quarter of calling Uniform per element.
        float scale = high - low;
        int i = 0;
        while (i < destination.Length)
        {
            ulong position = start + (ulong)i;
            var (x0, x1, x2, x3) = Block(position >> 2, site, seed);
            for (int lane = (int)(position & 3); lane < 4 && i < destination.Length; lane++, i++)
            {
                uint bits = lane switch { 0 => x0, 1 => x1, 2 => x2, _ => x3 };
                destination[i] = low + scale * ToUnit(bits);
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with standard normal samples (mean 0, variance 1) from
    /// the stream (seed, site), by the Box-Muller transform of consecutive uniform pairs: element
    /// <c>i</c> uses uniforms <c>2(start + i)</c> and <c>2(start + i) + 1</c>.
    /// </summary>
    /// <param name="seed">The user's seed.</param>
    /// <param name="site">Which stream.</param>
    /// <param name="start">The stream position of <c>destination[0]</c>.</param>
    /// <param name="destination">Where to write.</param>
    public static void FillNormal(ulong seed, ulong site, ulong start, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            ulong pair = 2 * (start + (ulong)i);
            // 1 - u lies in (0, 1], so the logarithm is finite.
            double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - Uniform(seed, site, pair)));
            double angle = 2.0 * Math.PI * Uniform(seed, site, pair + 1);
            destination[i] = (float)(radius * Math.Cos(angle));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ToUnit(uint bits) => (bits >> 8) * Inverse2To24;
}
