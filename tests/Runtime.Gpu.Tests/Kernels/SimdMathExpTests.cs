using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

/// <summary>
/// SimdMath.Exp must give CoreLib's bits (Vector*.Exp, TensorPrimitives.Exp), so that replacing
/// one by the other changes no result; on the instruction set the tests run on (CI also runs
/// them with AVX-512 off).
/// </summary>
public sealed class SimdMathExpTests
{
    private static readonly float[] Inputs = MakeInputs();

    [Fact]
    public void VectorExpGivesCoreLibsBitsOnEdgeCasesAndASweepOfAllFloats()
    {
        var mismatches = new List<string>();
        for (int i = 0; i + 16 <= Inputs.Length && mismatches.Count < 10; i += 16)
        {
            var x = Vector512.Create(Inputs.AsSpan(i, 16));
            Compare("Vector512", x, SimdMath.Exp(x), Vector512.Exp(x), mismatches);
            Compare("Vector256", x, Vector512.Create(SimdMath.Exp(x.GetLower()), SimdMath.Exp(x.GetUpper())),
                Vector512.Create(Vector256.Exp(x.GetLower()), Vector256.Exp(x.GetUpper())), mismatches);
            Vector256<float> lower = x.GetLower(), upper = x.GetUpper();
            Compare("Vector128", x,
                Vector512.Create(Vector256.Create(SimdMath.Exp(lower.GetLower()), SimdMath.Exp(lower.GetUpper())),
                    Vector256.Create(SimdMath.Exp(upper.GetLower()), SimdMath.Exp(upper.GetUpper()))),
                Vector512.Create(Vector256.Create(Vector128.Exp(lower.GetLower()), Vector128.Exp(lower.GetUpper())),
                    Vector256.Create(Vector128.Exp(upper.GetLower()), Vector128.Exp(upper.GetUpper()))),
                mismatches);
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void SaturatesAndPropagatesLikeExp()
    {
        // CoreLib's polynomial gives e^0 one ulp above 1 (its constant term is 1 + 7.5e-8).
        Assert.Equal(1f, SimdMath.Exp(Vector512.Create(0f)).GetElement(3), 6);
        Assert.Equal(1f, SimdMath.Exp(Vector256.Create(-0f)).GetElement(1), 6);
        Assert.Equal(float.PositiveInfinity, SimdMath.Exp(Vector512.Create(float.PositiveInfinity)).GetElement(0));
        Assert.Equal(float.PositiveInfinity, SimdMath.Exp(Vector256.Create(89f)).GetElement(0));
        Assert.Equal(0f, SimdMath.Exp(Vector512.Create(float.NegativeInfinity)).GetElement(0));
        Assert.Equal(0f, SimdMath.Exp(Vector128.Create(-104f)).GetElement(0));
        Assert.True(float.IsSubnormal(SimdMath.Exp(Vector256.Create(-100f)).GetElement(0)));
        Assert.True(float.IsNaN(SimdMath.Exp(Vector512.Create(float.NaN)).GetElement(0)));
        Assert.Equal(MathF.E, SimdMath.Exp(Vector256.Create(1f)).GetElement(0), 6);
    }

    [Fact]
    public void SpanExpGivesTensorPrimitivesBitsAtEveryLengthInPlaceAndNot()
    {
        var random = new Random(20);
        for (int n = 0; n <= 70; n++)
        {
            var x = new float[n];
            for (int i = 0; i < n; i++)
                x[i] = Inputs[random.Next(Inputs.Length)];
            var expected = new float[n];
            TensorPrimitives.Exp(x, expected);

            var separate = new float[n];
            SimdMath.Exp(x, separate);
            var inPlace = (float[])x.Clone();
            SimdMath.Exp(inPlace, inPlace);
            for (int i = 0; i < n; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(separate[i]), $"n = {n}, x[{i}] = {x[i]:R}: {separate[i]:R} against {expected[i]:R}");
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(inPlace[i]), $"in place, n = {n}, x[{i}] = {x[i]:R}");
            }
        }
    }

    [Fact]
    public void SpanExpRejectsAShorterDestination() =>
        Assert.Throws<ArgumentException>(() => SimdMath.Exp(new float[5], new float[4]));

    private static void Compare(string width, Vector512<float> x, Vector512<float> actual, Vector512<float> expected, List<string> mismatches)
    {
        for (int lane = 0; lane < 16; lane++)
        {
            float a = actual.GetElement(lane), e = expected.GetElement(lane);
            if (BitConverter.SingleToInt32Bits(a) != BitConverter.SingleToInt32Bits(e))
                mismatches.Add($"{width}: exp({x.GetElement(lane):R}) = {a:R} (0x{BitConverter.SingleToInt32Bits(a):X8}), CoreLib {e:R} (0x{BitConverter.SingleToInt32Bits(e):X8})");
        }
    }

    /// <summary>
    /// ±0, ±∞, NaNs, the largest and smallest floats, the saturation thresholds and their
    /// neighbours, the subnormal-result range densely, and every 1021st bit pattern of all floats.
    /// </summary>
    private static float[] MakeInputs()
    {
        var values = new List<float>
        {
            0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, -float.NaN,
            BitConverter.Int32BitsToSingle(0x7F80_0001), BitConverter.Int32BitsToSingle(unchecked((int)0xFFC0_1234)),
            float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon, 1f, -1f, 87f, -87f,
        };
        foreach (float edge in new[] { 88.72284f, 88.7228394f, 87f, -87.33654f, -103.97208f, -103.278931f, 0.5f * MathF.Log(2f) })
        {
            float up = edge, down = edge;
            for (int k = 0; k < 8; k++)
            {
                values.Add(up);
                values.Add(down);
                values.Add(-up);
                up = MathF.BitIncrement(up);
                down = MathF.BitDecrement(down);
            }
        }

        // e^x is subnormal for x in about (-103.3, -87.3): walk it finely.
        for (float x = -104.5f; x < -86.5f; x += 0.0037f)
            values.Add(x);
        for (long bits = 0; bits <= uint.MaxValue; bits += 1021)
            values.Add(BitConverter.Int32BitsToSingle(unchecked((int)(uint)bits)));
        while (values.Count % 16 != 0)
            values.Add(0.25f);
        return values.ToArray();
    }
}
