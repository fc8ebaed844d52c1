using System;
using System.Linq;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// The row kernels: the softmaxes, row and column sums, expand and tile, cross-entropy and its
/// gradient, accuracy and one-hot, on operands at non-zero offsets. Within 1e-5·(1 + |y|) where a
/// kernel calls exp or log (the device's are not the CPU's); bit for bit where it only moves floats.
/// </summary>
public abstract class RowKernelTests : KernelContractTests
{
    private const double Tolerance = 1e-5;
    private const int Rows = 13, Cols = 70, Offset = 3;

    [KernelFact]
    public void SoftmaxLogSoftmaxAndCausalSoftmax()
    {
        float[] x = RandomFloats(1, Offset + (Rows * Cols), 3f);
        Verify(h => RowsOf(h, x, (k, xs, y) => k.Softmax(Rows, Cols, xs, y)), () => EachRow(x, Cols, r => Softmax(r)), Tolerance);
        Verify(h => RowsOf(h, x, (k, xs, y) => k.LogSoftmax(Rows, Cols, xs, y)), () => EachRow(x, Cols, r =>
        {
            double max = r.Max(), log = max + Math.Log(r.Sum(v => Math.Exp(v - max)));
            return r.Select(v => v - log).ToArray();
        }), Tolerance);

        // Causal: row r sees its first r mod T + 1 entries (T = cols).
        const int length = 7;
        float[] scores = RandomFloats(2, Offset + (4 * length * length), 3f);
        Verify(
            h =>
            {
                var y = h.Zeros(4 * length * length);
                h.Kernels.CausalSoftmax(4 * length, length, h.Floats(scores).Slice(Offset), y);
                return h.Read(y);
            },
            () =>
            {
                var expected = new double[4 * length * length];
                for (int r = 0; r < 4 * length; r++)
                {
                    int visible = (r % length) + 1;
                    Softmax(Row(scores, Offset + (r * length), visible)).CopyTo(expected, r * length);
                }

                return expected;
            },
            Tolerance);
    }

    [KernelFact]
    public void RowAndColumnSums()
    {
        float[] x = RandomFloats(3, Offset + (Rows * Cols));
        Verify(
            h =>
            {
                var y = h.Zeros(Rows);
                h.Kernels.SumRows(Rows, Cols, h.Floats(x).Slice(Offset), y);
                return h.Read(y);
            },
            () => Enumerable.Range(0, Rows).Select(r => Row(x, Offset + (r * Cols), Cols).Sum()).ToArray(),
            Tolerance);
        Verify(
            h =>
            {
                var y = h.Zeros(Cols);
                h.Kernels.SumColumns(Rows, Cols, h.Floats(x).Slice(Offset), y);
                return h.Read(y);
            },
            () => Enumerable.Range(0, Cols).Select(c => Enumerable.Range(0, Rows).Sum(r => (double)x[Offset + (r * Cols) + c])).ToArray(),
            Tolerance);
    }

    [KernelFact]
    public void ExpandLastAndTileMoveFloatsExactly()
    {
        float[] x = RandomFloats(4, Offset + Cols);
        Verify(
            h =>
            {
                var y = h.Zeros(Cols * 5);
                h.Kernels.ExpandLast(Cols, 5, h.Floats(x).Slice(Offset), y);
                return h.Read(y);
            },
            () => Enumerable.Range(0, Cols * 5).Select(i => (double)x[Offset + (i / 5)]).ToArray(),
            0);
        Verify(
            h =>
            {
                var y = h.Zeros(Rows * Cols);
                h.Kernels.Tile(Rows, Cols, h.Floats(x).Slice(Offset), y);
                return h.Read(y);
            },
            () => Enumerable.Range(0, Rows * Cols).Select(i => (double)x[Offset + (i % Cols)]).ToArray(),
            0);
    }

    [KernelFact]
    public void CrossEntropyAndItsGradientWithASharedOrAPerRowWeight()
    {
        float[] logits = RandomFloats(5, Offset + (Rows * Cols), 3f);
        int[] labels = [0, .. RandomInts(6, Rows, Cols)]; // the labels start at offset 1
        float[] weights = RandomFloats(7, Rows);
        Verify(
            h =>
            {
                var loss = h.Zeros(Rows);
                h.Kernels.CrossEntropy(Rows, Cols, h.Floats(logits).Slice(Offset), h.Ints(labels).Slice(1), loss);
                return h.Read(loss);
            },
            () => Enumerable.Range(0, Rows).Select(r =>
            {
                double[] row = Row(logits, Offset + (r * Cols), Cols);
                double max = row.Max();
                return max + Math.Log(row.Sum(v => Math.Exp(v - max))) - row[labels[1 + r]];
            }).ToArray(),
            Tolerance);

        foreach (bool perRow in new[] { false, true })
        {
            Verify(
                h =>
                {
                    var dx = h.Floats(RandomFloats(8, Rows * Cols)); // overwritten
                    var x = h.Floats(logits).Slice(Offset);
                    var l = h.Ints(labels).Slice(1);
                    if (perRow)
                        h.Kernels.CrossEntropyBackward(Rows, Cols, x, l, h.Floats(weights), dx);
                    else
                        h.Kernels.CrossEntropyBackward(Rows, Cols, x, l, 0.25f, dx);
                    return h.Read(dx);
                },
                () =>
                {
                    var expected = new double[Rows * Cols];
                    for (int r = 0; r < Rows; r++)
                    {
                        double u = perRow ? weights[r] : 0.25;
                        double[] p = Softmax(Row(logits, Offset + (r * Cols), Cols));
                        for (int c = 0; c < Cols; c++)
                            expected[(r * Cols) + c] = u * (p[c] - (c == labels[1 + r] ? 1 : 0));
                    }

                    return expected;
                },
                Tolerance);
        }
    }

    [KernelFact]
    public void AccuracyTakesTheFirstLargestAndCountsNaNAsLargest()
    {
        // Row 0: a tie (the first wins); row 1: a NaN (it wins); the rest random.
        float[] logits = RandomFloats(9, Rows * Cols);
        logits[5] = logits[9] = 10f;
        logits[Cols + 4] = float.NaN;
        int[] labels = RandomInts(10, Rows, Cols);
        labels[0] = 5;
        labels[1] = 4;
        labels[2] = Enumerable.Range(0, Cols).MaxBy(c => logits[(2 * Cols) + c]);
        Verify(
            h =>
            {
                var correct = h.Zeros(Rows);
                h.Kernels.Accuracy(Rows, Cols, h.Floats(logits), h.Ints(labels), correct);
                return h.Read(correct);
            },
            () => Enumerable.Range(0, Rows).Select(r =>
            {
                int best = 0;
                for (int c = 1; c < Cols && !float.IsNaN(logits[(r * Cols) + best]); c++)
                {
                    float v = logits[(r * Cols) + c];
                    if (v > logits[(r * Cols) + best] || float.IsNaN(v))
                        best = c;
                }

                return best == labels[r] ? 1.0 : 0.0;
            }).ToArray(),
            0);
    }

    [KernelFact]
    public void OneHot()
    {
        int[] labels = RandomInts(11, Rows, Cols);
        Verify(
            h =>
            {
                var y = h.Floats(RandomFloats(12, Rows * Cols)); // overwritten
                h.Kernels.OneHot(Rows, Cols, h.Ints(labels), y);
                return h.Read(y);
            },
            () => Enumerable.Range(0, Rows * Cols).Select(i => labels[i / Cols] == i % Cols ? 1.0 : 0.0).ToArray(),
            0);
    }

    [KernelFact]
    public void ArgMaxAndItsMaskTakeTheFirstLargestAndCountNaNAsLargest()
    {
        // Row 0: a tie (the first wins); row 1: a NaN after a larger value (the NaN wins); row 2:
        // the largest last; the rest random. x starts at Offset.
        float[] x = RandomFloats(13, Offset + (Rows * Cols));
        x[Offset + 5] = x[Offset + 9] = 10f;
        x[Offset + Cols + 2] = 20f;
        x[Offset + Cols + 4] = float.NaN;
        x[Offset + (2 * Cols) + Cols - 1] = 30f;
        int[] best = Enumerable.Range(0, Rows).Select(r =>
        {
            int b = 0;
            for (int c = 1; c < Cols && !float.IsNaN(x[Offset + (r * Cols) + b]); c++)
            {
                float v = x[Offset + (r * Cols) + c];
                if (v > x[Offset + (r * Cols) + b] || float.IsNaN(v))
                    b = c;
            }

            return b;
        }).ToArray();
        Assert.Equal(new[] { 5, 4, Cols - 1 }, best.Take(3));
        Verify(
            h =>
            {
                var index = h.Floats(RandomFloats(14, Rows)); // overwritten
                h.Kernels.ArgMax(Rows, Cols, h.Floats(x).Slice(Offset), index);
                return h.Read(index);
            },
            () => best.Select(b => (double)b).ToArray(),
            0);
        Verify(
            h =>
            {
                var y = h.Floats(RandomFloats(15, Rows * Cols)); // overwritten
                h.Kernels.ArgMaxMask(Rows, Cols, h.Floats(x).Slice(Offset), y);
                return h.Read(y);
            },
            () => Enumerable.Range(0, Rows * Cols).Select(i => best[i / Cols] == i % Cols ? 1.0 : 0.0).ToArray(),
            0);
    }

    [KernelFact]
    public void GatherLastReadsAtEachIndexAndScatterLastAddsBack()
    {
        // Indices in [0, Cols), a repeat in every row (so the scatter adds two values into one
        // place), and in row 1 three that read NaN and scatter nothing: -1, Cols and NaN.
        const int k = 9;
        float[] x = RandomFloats(16, Offset + (Rows * Cols));
        float[] g = RandomFloats(17, Offset + (Rows * k));
        var random = new Random(18);
        float[] index = new float[Offset + (Rows * k)];
        for (int i = Offset; i < index.Length; i++)
            index[i] = random.Next(Cols);
        for (int r = 0; r < Rows; r++)
            index[Offset + (r * k) + 1] = index[Offset + (r * k)];
        index[Offset + k + 2] = -1;
        index[Offset + k + 3] = Cols;
        index[Offset + k + 4] = float.NaN;
        static bool InRange(float at) => at >= 0 && at < Cols;

        Verify(
            h =>
            {
                var y = h.Floats(RandomFloats(19, Rows * k)); // overwritten
                h.Kernels.GatherLast(Rows, Cols, k, h.Floats(x).Slice(Offset), h.Floats(index).Slice(Offset), y);
                return h.Read(y);
            },
            () => Enumerable.Range(0, Rows * k).Select(e =>
            {
                float at = index[Offset + e];
                return InRange(at) ? x[Offset + ((e / k) * Cols) + (int)at] : double.NaN;
            }).ToArray(),
            0);
        Verify(
            h =>
            {
                var y = h.Floats(RandomFloats(20, Rows * Cols)); // overwritten
                h.Kernels.ScatterLast(Rows, Cols, k, h.Floats(index).Slice(Offset), h.Floats(g).Slice(Offset), y);
                return h.Read(y);
            },
            () =>
            {
                var sums = new double[Rows * Cols];
                for (int e = 0; e < Rows * k; e++)
                {
                    float at = index[Offset + e];
                    if (InRange(at))
                        sums[((e / k) * Cols) + (int)at] += g[Offset + e];
                }

                return sums;
            },
            1e-6,
            0); // the device adds in the CPU's order
    }

    /// <summary>Runs a (rows, cols, x, y) kernel on x from <see cref="Offset"/> and reads y.</summary>
    private static float[] RowsOf(KernelHarness h, float[] x, Action<DeviceKernels, DeviceSlice, DeviceSlice> kernel)
    {
        var y = h.Zeros(Rows * Cols);
        kernel(h.Kernels, h.Floats(x).Slice(Offset), y);
        return h.Read(y);
    }

    private static double[] Row(float[] x, int start, int length) => x.Skip(start).Take(length).Select(v => (double)v).ToArray();

    private static double[] EachRow(float[] x, int cols, Func<double[], double[]> f) =>
        Enumerable.Range(0, Rows).SelectMany(r => f(Row(x, Offset + (r * cols), cols))).ToArray();

    private static double[] Softmax(double[] row)
    {
        double max = row.Max();
        double[] e = row.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}

/// <summary>The CPU's row kernels against the double reference.</summary>
public sealed class CpuRowKernelTests : RowKernelTests
{
    protected override DeviceKernels Kernels => Device.Cpu.Kernels;
}

/// <summary>The OpenCL row kernels against the CPU's.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClRowKernelTests(OpenClKernelsFixture fixture) : RowKernelTests, IOpenClKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
