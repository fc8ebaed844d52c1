using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dsl.Kernels;

/// <summary>
/// One dropout site's mask in one training step, applied element by element inside a fused loop:
/// <c>Apply(x, i)</c> is what <see cref="DropoutKernels.Apply"/> writes at stream position i
/// (x · scale when kept, else 0), bit for bit, so a compiled program can drop inside the loop that
/// produces or consumes x instead of in a separate pass.
/// </summary>
/// <remarks>
/// <para>
/// The draw of position i is lane i % 4 of the Philox block i / 4 (see <see cref="DropoutKernels"/>).
/// The mask holds the draws of 32 consecutive positions, computed eight blocks at a time in the
/// lanes of AVX2 vectors (one Philox block per lane, then a 4×8 transpose into element order);
/// a loop that walks a row forwards refills it once per 32 elements. Where AVX2 is missing the
/// eight blocks are computed one after another.
/// </para>
/// <para>
/// A mutable value type: each call of a fused loop makes its own (a local of the loop method),
/// so threads never share one.
/// </para>
/// </remarks>
public struct DropoutMask
{
    private const int Held = 32;

    private readonly ulong _seed;
    private readonly ulong _counterHigh;
    private readonly uint _threshold;
    private readonly float _scale;

    /// <summary>
    /// The stream position of <see cref="_bits"/>[0], a multiple of four; 2^63 before the first refill,
    /// far from every position a program reaches (rows · size &lt; 2^62), so the first read refills.
    /// </summary>
    private ulong _first;
    private Draws _bits;

    /// <summary>The draws of 32 consecutive positions.</summary>
    [InlineArray(Held)]
    private struct Draws
    {
        private uint _element;
    }

    /// <summary>The mask of (seed, site, step) for drop probability p.</summary>
    /// <param name="seed">The run's seed (the Philox key).</param>
    /// <param name="site">Which dropout call of the model.</param>
    /// <param name="step">The training step.</param>
    /// <param name="p">The probability of dropping an element, in [0, 1).</param>
    public DropoutMask(ulong seed, uint site, uint step, float p)
    {
        _seed = seed;
        _counterHigh = site | ((ulong)step << 32);
        _threshold = DropoutKernels.Threshold(p);
        _scale = DropoutKernels.Scale(p);
        _first = 1UL << 63;
    }

    /// <summary>x · scale when stream position <paramref name="index"/> is kept, else 0.</summary>
    /// <param name="x">The element.</param>
    /// <param name="index">Its stream position: example · size + element.</param>
    /// <returns>The dropped element.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Apply(float x, ulong index)
    {
        uint bits = Unsafe.Add(ref Bits(index, 1), 0);
        return bits >> 8 >= _threshold ? x * _scale : 0f;
    }

    /// <summary>The same for the eight positions <paramref name="index"/> … <paramref name="index"/> + 7.</summary>
    /// <param name="x">The elements.</param>
    /// <param name="index">The stream position of the first.</param>
    /// <returns>The dropped elements.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Apply(Vector256<float> x, ulong index)
    {
        Vector256<uint> bits = Vector256.LoadUnsafe(ref Bits(index, 8));
        Vector256<uint> keep = Vector256.GreaterThanOrEqual(bits >> 8, Vector256.Create(_threshold));
        return Vector256.ConditionalSelect(keep.AsSingle(), x * _scale, Vector256<float>.Zero);
    }

    /// <summary>The draw of position <paramref name="index"/>, with the <paramref name="count"/> − 1 after it held too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    private ref uint Bits(ulong index, int count)
    {
        ulong offset = index - _first;
        if (offset > (ulong)(Held - count))
        {
            Refill(index & ~3UL);
            offset = index & 3;
        }
        return ref Unsafe.Add(ref Unsafe.As<Draws, uint>(ref _bits), (nint)offset);
    }

    /// <summary>Computes the draws of positions first … first + 31: Philox blocks first / 4 … first / 4 + 7.</summary>
    private void Refill(ulong first)
    {
        _first = first;
        ulong block = first >> 2;
        ref uint bits = ref Unsafe.As<Draws, uint>(ref _bits);
        if (!Avx2.IsSupported)
        {
            for (int j = 0; j < Held / 4; j++)
            {
                var (x0, x1, x2, x3) = Philox.Block(block + (ulong)j, _counterHigh, _seed);
                Unsafe.Add(ref bits, 4 * j) = x0;
                Unsafe.Add(ref bits, 4 * j + 1) = x1;
                Unsafe.Add(ref bits, 4 * j + 2) = x2;
                Unsafe.Add(ref bits, 4 * j + 3) = x3;
            }
            return;
        }

        // Lane j computes block + j: counter words (c0, c1) are its low and high halves, with the carry.
        Vector256<uint> low = Vector256.Create((uint)block);
        Vector256<uint> c0 = low + Vector256.Create(0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u);
        Vector256<uint> c1 = Vector256.Create((uint)(block >> 32)) - Vector256.LessThan(c0, low);
        Vector256<uint> c2 = Vector256.Create((uint)_counterHigh);
        Vector256<uint> c3 = Vector256.Create((uint)(_counterHigh >> 32));
        uint k0 = (uint)_seed, k1 = (uint)(_seed >> 32);
        Vector256<uint> m0 = Vector256.Create(0xD2511F53u), m1 = Vector256.Create(0xCD9E8D57u);
        for (int round = 0; round < 10; round++)
        {
            if (round > 0)
            {
                k0 += 0x9E3779B9u;
                k1 += 0xBB67AE85u;
            }
            Vector256<uint> hi0 = MultiplyHigh(c0, m0), lo0 = c0 * m0;
            Vector256<uint> hi1 = MultiplyHigh(c2, m1), lo1 = c2 * m1;
            Vector256<uint> y0 = hi1 ^ c1 ^ Vector256.Create(k0);
            Vector256<uint> y2 = hi0 ^ c3 ^ Vector256.Create(k1);
            (c0, c1, c2, c3) = (y0, lo1, y2, lo0);
        }

        // Transpose: word k of lane j goes to position 4j + k.
        Vector256<ulong> t0 = Avx2.UnpackLow(c0, c1).AsUInt64(), t1 = Avx2.UnpackHigh(c0, c1).AsUInt64();
        Vector256<ulong> t2 = Avx2.UnpackLow(c2, c3).AsUInt64(), t3 = Avx2.UnpackHigh(c2, c3).AsUInt64();
        Vector256<uint> u0 = Avx2.UnpackLow(t0, t2).AsUInt32(), u1 = Avx2.UnpackHigh(t0, t2).AsUInt32(); // blocks (0, 4), (1, 5)
        Vector256<uint> u2 = Avx2.UnpackLow(t1, t3).AsUInt32(), u3 = Avx2.UnpackHigh(t1, t3).AsUInt32(); // blocks (2, 6), (3, 7)
        Avx2.Permute2x128(u0, u1, 0x20).StoreUnsafe(ref bits, 0);
        Avx2.Permute2x128(u2, u3, 0x20).StoreUnsafe(ref bits, 8);
        Avx2.Permute2x128(u0, u1, 0x31).StoreUnsafe(ref bits, 16);
        Avx2.Permute2x128(u2, u3, 0x31).StoreUnsafe(ref bits, 24);
    }

    /// <summary>The high 32 bits of each lane's 32×32-bit product (OpenCL's <c>mul_hi</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> MultiplyHigh(Vector256<uint> a, Vector256<uint> b)
    {
        Vector256<ulong> even = Avx2.Multiply(a, b);
        Vector256<ulong> odd = Avx2.Multiply(Avx2.ShiftRightLogical(a.AsUInt64(), 32).AsUInt32(), b);
        return Avx2.Blend((even >> 32).AsUInt32(), odd.AsUInt32(), 0b1010_1010);
    }
}
