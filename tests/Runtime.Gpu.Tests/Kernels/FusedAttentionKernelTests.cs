using System;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

/// <summary>
/// The fused attention kernel (<see cref="Attention"/>) against a double-precision definition of the
/// unfused chain it replaces (split heads, scaled q·kᵀ, softmax, dropout, P·v, merge heads), and its
/// backward pass against central differences of that definition, with and without dropout, causal
/// and full, at lengths and head widths that are not whole vectors.
/// </summary>
public sealed class FusedAttentionKernelTests
{
    private const ulong Seed = 0x5EEDu;
    private const uint Site = 3, Step = 17;

    [Theory]
    [InlineData(2, 5, 2, 4, true, 0f)]
    [InlineData(2, 13, 3, 12, true, 0.25f)] // T past one vector of keys, dh a vector and a remainder
    [InlineData(1, 37, 2, 40, true, 0.1f)]  // more than four vectors of keys, dh a block of 32 and a vector
    [InlineData(2, 9, 2, 8, false, 0.3f)]
    [InlineData(1, 64, 4, 32, true, 0.1f)]  // the GPT's shape per example
    public void ForwardIsTheUnfusedChain(int batch, int length, int heads, int dh, bool causal, float p)
    {
        float scale = 1f / MathF.Sqrt(dh);
        float[] qkv = Random(batch * length * 3 * heads * dh, 1);
        var y = new float[batch * length * heads * dh];
        Attention.Forward(qkv, y, batch, length, heads, dh, causal, scale, Seed, Site, Step, p);
        double[] expected = Reference(ToDouble(qkv), batch, length, heads, dh, causal, scale, p);
        for (int i = 0; i < y.Length; i++)
            Assert.True(Math.Abs(y[i] - expected[i]) <= 2e-5 * (1 + Math.Abs(expected[i])), $"y[{i}] = {y[i]}, expected {expected[i]}");
    }

    [Theory]
    [InlineData(2, 5, 2, 4, true, 0f)]
    [InlineData(2, 11, 2, 12, true, 0.25f)]
    [InlineData(1, 9, 3, 8, false, 0f)]
    [InlineData(1, 10, 2, 36, false, 0.2f)]
    [InlineData(1, 70, 1, 3, true, 0.1f)]   // two blocks of query rows, the second short
    [InlineData(1, 66, 1, 2, false, 0f)]
    public void BackwardMatchesCentralDifferences(int batch, int length, int heads, int dh, bool causal, float p)
    {
        float scale = 1f / MathF.Sqrt(dh);
        float[] qkv = Random(batch * length * 3 * heads * dh, 2);
        float[] cotangent = Random(batch * length * heads * dh, 3);
        var gradient = new float[qkv.Length];
        Array.Fill(gradient, float.NaN); // every element must be written
        Attention.Backward(qkv, cotangent, gradient, batch, length, heads, dh, causal, scale, Seed, Site, Step, p);

        // d<y, ȳ>/dqkv by central differences of the double-precision definition.
        double[] x = ToDouble(qkv);
        const double h = 1e-5;
        for (int i = 0; i < x.Length; i++)
        {
            double saved = x[i];
            x[i] = saved + h;
            double plus = Dot(Reference(x, batch, length, heads, dh, causal, scale, p), cotangent);
            x[i] = saved - h;
            double minus = Dot(Reference(x, batch, length, heads, dh, causal, scale, p), cotangent);
            x[i] = saved;
            double expected = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(gradient[i] - expected) <= 1e-4 * (1 + Math.Abs(expected)), $"gradient[{i}] = {gradient[i]}, central difference {expected}");
        }
    }

    [Fact]
    public void DropoutDrawsEachWeightAtItsPositionInTheWeights()
    {
        // With dh = 1, v = 1 everywhere and q = 0 (uniform weights 1/(i + 1)), y[i] is (kept weights)·scale/(i + 1):
        // exactly the count of the kept positions (e, h, i, j ≤ i) in the [batch, H, T, T] stream.
        const int batch = 2, length = 7, heads = 3;
        const float p = 0.5f;
        var qkv = new float[batch * length * 3 * heads];
        for (int r = 0; r < batch * length; r++)
            for (int hd = 0; hd < heads; hd++)
                qkv[r * 3 * heads + 2 * heads + hd] = 1f;
        var y = new float[batch * length * heads];
        Attention.Forward(qkv, y, batch, length, heads, 1, true, 1f, Seed, Site, Step, p);
        uint threshold = DropoutKernels.Threshold(p);
        for (int e = 0; e < batch; e++)
            for (int hd = 0; hd < heads; hd++)
                for (int i = 0; i < length; i++)
                {
                    int kept = 0;
                    for (int j = 0; j <= i; j++)
                        kept += DropoutKernels.Keeps(Seed, Site, Step, (ulong)(((e * heads + hd) * length + i) * length + j), threshold) ? 1 : 0;
                    Assert.Equal(kept * DropoutKernels.Scale(p) / (i + 1), y[(e * length + i) * heads + hd], 5);
                }
    }

    [Fact]
    public void ShortSpansAreRejected()
    {
        var y = new float[2 * 4];
        Assert.Throws<ArgumentException>(() => Attention.Forward(new float[2 * 12 - 1], y, 1, 2, 2, 2, true, 1f, Seed, Site, Step, 0f));
        Assert.Throws<ArgumentException>(() => Attention.Backward(new float[24], new float[7], new float[24], 1, 2, 2, 2, true, 1f, Seed, Site, Step, 0f));
    }

    /// <summary>The unfused chain in double: per (example, head), P = softmax(scale·q·kᵀ) (causal: keys j ≤ i), dropped, times v.</summary>
    private static double[] Reference(double[] qkv, int batch, int length, int heads, int dh, bool causal, double scale, float p)
    {
        int d = heads * dh, width = 3 * d;
        uint threshold = DropoutKernels.Threshold(p);
        double keepScale = 1 / (1.0 - p);
        var y = new double[batch * length * d];
        var s = new double[length];
        for (int e = 0; e < batch; e++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < length; i++)
                {
                    int visible = causal ? i + 1 : length;
                    double max = double.NegativeInfinity;
                    for (int j = 0; j < visible; j++)
                    {
                        double sum = 0;
                        for (int c = 0; c < dh; c++)
                            sum += scale * qkv[(e * length + i) * width + h * dh + c] * qkv[(e * length + j) * width + d + h * dh + c];
                        s[j] = sum;
                        max = Math.Max(max, sum);
                    }

                    double total = 0;
                    for (int j = 0; j < visible; j++)
                        total += s[j] = Math.Exp(s[j] - max);
                    for (int j = 0; j < visible; j++)
                    {
                        ulong position = (ulong)(((e * heads + h) * length + i) * length + j);
                        double weight = s[j] / total * (p == 0f ? 1 : DropoutKernels.Keeps(Seed, Site, Step, position, threshold) ? keepScale : 0);
                        for (int c = 0; c < dh; c++)
                            y[(e * length + i) * d + h * dh + c] += weight * qkv[(e * length + j) * width + 2 * d + h * dh + c];
                    }
                }
        return y;
    }

    private static double Dot(double[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    private static double[] ToDouble(float[] x) => Array.ConvertAll(x, v => (double)v);

    private static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        var x = new float[count];
        for (int i = 0; i < count; i++)
            x[i] = (float)(random.NextDouble() * 2 - 1);
        return x;
    }
}
