using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dsl.Kernels;

// e^x for float vectors, giving the same bits as Vector128/256/512.Exp, but inlinable. CoreLib's
// Vector*.Exp calls VectorMath.ExpSingle, which the JIT inlines into a hot loop and NativeAOT's
// compiler (no profile) does not: a call in a vector loop makes every vector register caller-saved,
// which cost the GPT step ~3% under NativeAOT (bench/RESULTS.md, issue 20, item 4). The algorithm is
// CoreLib's (after AMD's aocl-libm vrs4_expf): each lane widened to double, e^x = 2^n · 2^r with
// x/ln 2 = n + r, |r| ≤ 1/2, 2^r a degree-5 polynomial, 2^n added into the exponent bits, the result
// narrowed back; lanes past the float range are set to +∞ or 0 afterwards. The same constants and the
// same operation tree (MultiplyAddEstimate where CoreLib uses it) give the same bits on every
// instruction set, which SimdMathExpTests checks against CoreLib over edge cases and random inputs.
public static partial class SimdMath
{
    /// <summary>Past this, e^x rounds to +∞ in float.</summary>
    private const float ExpOverflow = 88.72284f;

    /// <summary>Below this, e^x rounds to 0 in float (smaller than half the least subnormal).</summary>
    private const float ExpUnderflow = -103.97208f;

    /// <summary>1.5·2^52: adding it rounds a double of magnitude below 2^51 to an integer held in the low mantissa bits.</summary>
    private const double RoundingShift = 6755399441055744;

    private const double Log2E = 1.4426950408889634;

    // 2^r on |r| ≤ 1/2, lowest degree first.
    private const double Exp2C1 = 1.0000000754895704;
    private const double Exp2C2 = 0.6931472254087585;
    private const double Exp2C3 = 0.2402210737432219;
    private const double Exp2C4 = 0.05550297297702539;
    private const double Exp2C5 = 0.009676036358193323;
    private const double Exp2C6 = 0.001341000536524434;

    /// <summary>e^x of each lane, bit-identical to <see cref="Vector512.Exp(Vector512{float})"/>.</summary>
    /// <param name="x">The exponents.</param>
    /// <returns>e^x per lane (+∞ above 88.72284, 0 below -103.97208).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        Vector512<float> e = Vector512.Narrow(ExpOfDouble(Vector512.WidenLower(x)), ExpOfDouble(Vector512.WidenUpper(x)));
        // +∞ where x overflows, 0 where it underflows; NaN lanes keep e's NaN.
        return Vector512.AndNot(
            Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(ExpOverflow)), Vector512.Create(float.PositiveInfinity), e),
            Vector512.LessThan(x, Vector512.Create(ExpUnderflow)));
    }

    /// <summary>e^x of each lane, bit-identical to <see cref="Vector256.Exp(Vector256{float})"/>.</summary>
    /// <param name="x">The exponents.</param>
    /// <returns>e^x per lane (+∞ above 88.72284, 0 below -103.97208).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> e = Avx512F.IsSupported
            ? Avx512F.ConvertToVector256Single(ExpOfDouble(Avx512F.ConvertToVector512Double(x)))
            : Vector256.Narrow(ExpOfDouble(Vector256.WidenLower(x)), ExpOfDouble(Vector256.WidenUpper(x)));
        return Vector256.AndNot(
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(ExpOverflow)), Vector256.Create(float.PositiveInfinity), e),
            Vector256.LessThan(x, Vector256.Create(ExpUnderflow)));
    }

    /// <summary>e^x of each lane, bit-identical to <see cref="Vector128.Exp(Vector128{float})"/>.</summary>
    /// <param name="x">The exponents.</param>
    /// <returns>e^x per lane (+∞ above 88.72284, 0 below -103.97208).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        Vector128<float> e = Avx.IsSupported
            ? Avx.ConvertToVector128Single(ExpOfDouble(Avx.ConvertToVector256Double(x)))
            : Vector128.Narrow(ExpOfDouble(Vector128.WidenLower(x)), ExpOfDouble(Vector128.WidenUpper(x)));
        return Vector128.AndNot(
            Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(ExpOverflow)), Vector128.Create(float.PositiveInfinity), e),
            Vector128.LessThan(x, Vector128.Create(ExpUnderflow)));
    }

    /// <summary>
    /// y[i] = e^x[i], bit-identical to <see cref="System.Numerics.Tensors.TensorPrimitives.Exp{T}(ReadOnlySpan{T}, Span{T})"/>
    /// for float: every element through the vector exp once there are 4 or more, <see cref="MathF.Exp"/> below that.
    /// </summary>
    /// <param name="x">The exponents.</param>
    /// <param name="y">The results, as long as <paramref name="x"/>; it may be <paramref name="x"/> itself, but not overlap it otherwise.</param>
    public static void Exp(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length)
            throw new ArgumentException("The destination is shorter than the source.", nameof(y));
        int n = x.Length;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        // The last vector is computed before any store (y may be x) and written last, over the
        // lanes the loop already wrote with the same values: no scalar tail, as in TensorPrimitives.
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            int lastAt = n - Vector512<float>.Count;
            Vector512<float> last = Exp(Vector512.LoadUnsafe(ref xs, (nuint)lastAt));
            for (int i = 0; i < lastAt; i += Vector512<float>.Count)
                Exp(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
            last.StoreUnsafe(ref ys, (nuint)lastAt);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            int lastAt = n - Vector256<float>.Count;
            Vector256<float> last = Exp(Vector256.LoadUnsafe(ref xs, (nuint)lastAt));
            for (int i = 0; i < lastAt; i += Vector256<float>.Count)
                Exp(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
            last.StoreUnsafe(ref ys, (nuint)lastAt);
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            int lastAt = n - Vector128<float>.Count;
            Vector128<float> last = Exp(Vector128.LoadUnsafe(ref xs, (nuint)lastAt));
            for (int i = 0; i < lastAt; i += Vector128<float>.Count)
                Exp(Vector128.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
            last.StoreUnsafe(ref ys, (nuint)lastAt);
        }
        else
        {
            for (int i = 0; i < n; i++)
                y[i] = MathF.Exp(x[i]);
        }
    }

    /// <summary>e^x in double for float-range x: 2^n·P(r), n added into the exponent field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ExpOfDouble(Vector512<double> x)
    {
        Vector512<double> z = x * Vector512.Create(Log2E);
        Vector512<double> shifted = z + Vector512.Create(RoundingShift);
        Vector512<double> r = z - (shifted - Vector512.Create(RoundingShift));
        Vector512<double> r2 = r * r;
        Vector512<double> poly = Vector512.MultiplyAddEstimate(
            r2 * r2,
            Vector512.MultiplyAddEstimate(Vector512.Create(Exp2C6), r, Vector512.Create(Exp2C5)),
            Vector512.MultiplyAddEstimate(
                r2,
                Vector512.MultiplyAddEstimate(Vector512.Create(Exp2C4), r, Vector512.Create(Exp2C3)),
                Vector512.MultiplyAddEstimate(Vector512.Create(Exp2C2), r, Vector512.Create(Exp2C1))));
        return (poly.AsUInt64() + (shifted.AsUInt64() << 52)).AsDouble();
    }

    /// <summary><see cref="ExpOfDouble(Vector512{double})"/> on 4 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpOfDouble(Vector256<double> x)
    {
        Vector256<double> z = x * Vector256.Create(Log2E);
        Vector256<double> shifted = z + Vector256.Create(RoundingShift);
        Vector256<double> r = z - (shifted - Vector256.Create(RoundingShift));
        Vector256<double> r2 = r * r;
        Vector256<double> poly = Vector256.MultiplyAddEstimate(
            r2 * r2,
            Vector256.MultiplyAddEstimate(Vector256.Create(Exp2C6), r, Vector256.Create(Exp2C5)),
            Vector256.MultiplyAddEstimate(
                r2,
                Vector256.MultiplyAddEstimate(Vector256.Create(Exp2C4), r, Vector256.Create(Exp2C3)),
                Vector256.MultiplyAddEstimate(Vector256.Create(Exp2C2), r, Vector256.Create(Exp2C1))));
        return (poly.AsUInt64() + (shifted.AsUInt64() << 52)).AsDouble();
    }

    /// <summary><see cref="ExpOfDouble(Vector512{double})"/> on 2 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> ExpOfDouble(Vector128<double> x)
    {
        Vector128<double> z = x * Vector128.Create(Log2E);
        Vector128<double> shifted = z + Vector128.Create(RoundingShift);
        Vector128<double> r = z - (shifted - Vector128.Create(RoundingShift));
        Vector128<double> r2 = r * r;
        Vector128<double> poly = Vector128.MultiplyAddEstimate(
            r2 * r2,
            Vector128.MultiplyAddEstimate(Vector128.Create(Exp2C6), r, Vector128.Create(Exp2C5)),
            Vector128.MultiplyAddEstimate(
                r2,
                Vector128.MultiplyAddEstimate(Vector128.Create(Exp2C4), r, Vector128.Create(Exp2C3)),
                Vector128.MultiplyAddEstimate(Vector128.Create(Exp2C2), r, Vector128.Create(Exp2C1))));
        return (poly.AsUInt64() + (shifted.AsUInt64() << 52)).AsDouble();
    }
}
