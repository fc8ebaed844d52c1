using System;

namespace Dsl.Data;

/// <summary>
/// Seeded Fisher–Yates shuffles drawn from <see cref="Philox"/>, so a permutation is a pure
/// function of (seed, site): a resumed run recomputes exactly the order it stopped in.
/// </summary>
internal static class Permutation
{
    // The streams of the data pipeline carry a tag in the counter's high 32 bits so that they
    // never coincide with the small stream numbers ParameterStore uses for parameter p under the
    // same seed (the same raw bits would otherwise both initialise a weight and shuffle epoch p).
    private const ulong EpochTag = 0x5348_5546UL << 32; // "SHUF"

    /// <summary>The stream of <see cref="Dataset.Split"/>'s permutation.</summary>
    public const ulong SplitSite = 0x5350_4C54UL << 32; // "SPLT"

    /// <summary>The stream of epoch <paramref name="epoch"/>'s shuffle.</summary>
    /// <param name="epoch">The epoch, from 0.</param>
    /// <returns>The Philox stream number.</returns>
    public static ulong EpochSite(int epoch) => EpochTag | (uint)epoch;

    /// <summary>Shuffles <paramref name="values"/> in place: Fisher–Yates from the end, each swap partner unbiased.</summary>
    /// <param name="values">The values to permute.</param>
    /// <param name="seed">The Philox key.</param>
    /// <param name="site">The Philox stream.</param>
    public static void Shuffle(Span<int> values, ulong seed, ulong site)
    {
        var stream = new WordStream(seed, site);
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = (int)stream.Below((uint)i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>Consecutive 32-bit words of one Philox stream, four per block.</summary>
    private struct WordStream(ulong seed, ulong site)
    {
        private ulong _block;
        private int _lane = 4;
        private uint _x0, _x1, _x2, _x3;

        /// <summary>
        /// A uniform integer in [0, <paramref name="range"/>) by Lemire's multiply-and-reject
        /// ("Fast Random Integer Generation in an Interval", 2019): unbiased, and a division only
        /// in the rare case that a rejection is possible.
        /// </summary>
        public uint Below(uint range)
        {
            ulong product = (ulong)Next() * range;
            uint low = (uint)product;
            if (low < range)
            {
                uint threshold = (0u - range) % range;
                while (low < threshold)
                {
                    product = (ulong)Next() * range;
                    low = (uint)product;
                }
            }

            return (uint)(product >> 32);
        }

        private uint Next()
        {
            if (_lane == 4)
            {
                (_x0, _x1, _x2, _x3) = Philox.Block(_block++, site, seed);
                _lane = 0;
            }

            return _lane++ switch { 0 => _x0, 1 => _x1, 2 => _x2, _ => _x3 };
        }
    }
}
