using System;
using System.Linq;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

public sealed class RowsTests
{
    // Small shapes run inline; 300 x 129 (> 32K floats) is split across cores.
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 3, 7 }, { 5, 16 }, { 4, 33 }, { 300, 129 }, { 2, 20_000 }, { 100, 2 }, { 5000, 10 }, { 64, 24 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SoftmaxAndLogSoftmaxMatchDoubleReference(int rows, int cols)
    {
        float[] x = Logits(rows, cols, seed: rows + cols);
        float[] y = new float[rows * cols], logY = new float[rows * cols];
        Rows.Softmax(x, y, rows, cols);
        Rows.LogSoftmax(x, logY, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            double[] row = Row(x, r, cols);
            double max = row.Max(), logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            for (int c = 0; c < cols; c++)
            {
                AssertNear(Math.Exp(row[c] - logSum), y[r * cols + c], 1e-6, 1e-5);
                AssertNear(row[c] - logSum, logY[r * cols + c], 1e-5, 1e-6);
            }
        }
    }

    [Fact]
    public void SoftmaxIsStableForHugeLogitsAndInPlace()
    {
        float[] x = [1000f, 1001f, 1002f, -1000f];
        Rows.Softmax(x, x, 1, 4);
        double z = 1 + Math.Exp(-1) + Math.Exp(-2);
        AssertNear(Math.Exp(-2) / z, x[0], 1e-7, 1e-6);
        AssertNear(1 / z, x[2], 1e-7, 1e-6);
        Assert.Equal(0f, x[3]);

        float[] logits = [1000f, -1000f];
        float[] loss = new float[1];
        Rows.CrossEntropy(logits, [1], loss, 1, 2);
        Assert.Equal(2000f, loss[0]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void CrossEntropyAndItsGradientMatchDoubleReference(int rows, int cols)
    {
        float[] logits = Logits(rows, cols, seed: 3 * rows + cols);
        int[] labels = Enumerable.Range(0, rows).Select(r => (r * 7 + 3) % cols).ToArray();
        float[] lossGradient = Enumerable.Range(0, rows).Select(r => 1f / rows * (1 + r % 3)).ToArray();
        float[] loss = new float[rows], gradient = new float[rows * cols];
        float[] accumulated = Enumerable.Repeat(0.25f, rows * cols).ToArray();
        Rows.CrossEntropy(logits, labels, loss, rows, cols);
        Rows.CrossEntropyBackward(logits, labels, lossGradient, gradient, rows, cols);
        Rows.CrossEntropyBackward(logits, labels, lossGradient, accumulated, rows, cols, accumulate: true);
        for (int r = 0; r < rows; r++)
        {
            double[] row = Row(logits, r, cols);
            double max = row.Max(), logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            AssertNear(logSum - row[labels[r]], loss[r], 1e-5, 1e-5);
            for (int c = 0; c < cols; c++)
            {
                double expected = lossGradient[r] * (Math.Exp(row[c] - logSum) - (c == labels[r] ? 1 : 0));
                AssertNear(expected, gradient[r * cols + c], 1e-7, 1e-5);
                AssertNear(expected + 0.25, accumulated[r * cols + c], 1e-7, 1e-5);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void CrossEntropyGradientWithOneWeightMatchesTheWeightPerRow(int rows, int cols)
    {
        float[] logits = Logits(rows, cols, seed: 5 * rows + cols);
        int[] labels = Enumerable.Range(0, rows).Select(r => (r * 5 + 1) % cols).ToArray();
        float weight = 1f / rows;
        float[] shared = Enumerable.Repeat(float.NaN, rows * cols).ToArray(), perRow = new float[rows * cols];
        Rows.CrossEntropyBackward(logits, labels, weight, shared, rows, cols);
        Rows.CrossEntropyBackward(logits, labels, Enumerable.Repeat(weight, rows).ToArray(), perRow, rows, cols);
        Assert.Equal(perRow, shared);
        Assert.Throws<ArgumentOutOfRangeException>(() => Rows.CrossEntropyBackward(new float[3], [3], 1f, new float[3], 1, 3));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SumsMatchDoubleReference(int rows, int cols)
    {
        float[] x = Logits(rows, cols, seed: rows * cols);
        float[] rowSums = new float[rows], columnSums = new float[cols], accumulated = Enumerable.Repeat(1f, cols).ToArray();
        Rows.Sum(x, rowSums, rows, cols);
        Rows.ColumnSum(x, columnSums, rows, cols);
        Rows.ColumnSum(x, accumulated, rows, cols, accumulate: true);
        // Float accumulation: the error bound scales with Σ|x| (values lie in [-4, 4]).
        double rowTolerance = 1e-6 + 2e-7 * 4 * cols, columnTolerance = 1e-6 + 2e-7 * 4 * rows;
        for (int r = 0; r < rows; r++)
            AssertNear(Row(x, r, cols).Sum(), rowSums[r], rowTolerance, 0);
        for (int c = 0; c < cols; c++)
        {
            double sum = Enumerable.Range(0, rows).Sum(r => (double)x[r * cols + c]);
            AssertNear(sum, columnSums[c], columnTolerance, 0);
            AssertNear(sum + 1, accumulated[c], columnTolerance, 0);
        }
    }

    [Fact]
    public void AccuracyTakesTheFirstLargestLogit()
    {
        float[] logits = [0, 5, 5, 1, /**/ 9, 1, 2, 3, /**/ 1, 1, 1, 1];
        float[] correct = new float[3];
        Rows.Accuracy(logits, [2, 0, 0], correct, 3, 4);
        Assert.Equal(new float[] { 0, 1, 1 }, correct);
    }

    [Fact]
    public void AccuracyMatchesArgmaxOnALargeBatch()
    {
        const int rows = 500, cols = 100;
        float[] logits = Logits(rows, cols, seed: 1);
        int[] labels = Enumerable.Range(0, rows).Select(r => r % 2 == 0 ? Array.IndexOf(Row(logits, r, cols), Row(logits, r, cols).Max()) : r % cols).ToArray();
        float[] correct = new float[rows];
        Rows.Accuracy(logits, labels, correct, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            double[] row = Row(logits, r, cols);
            Assert.Equal(Array.IndexOf(row, row.Max()) == labels[r] ? 1f : 0f, correct[r]);
        }
    }

    [Fact]
    public void OneHotWritesOnesAtTheLabels()
    {
        float[] y = Enumerable.Repeat(7f, 6).ToArray();
        Rows.OneHot([2, 0], y, 2, 3);
        Assert.Equal(new float[] { 0, 0, 1, 1, 0, 0 }, y);
    }

    [Fact]
    public void BadLabelsNameTheExampleLabelAndClassCount()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Rows.CrossEntropy(new float[6], [1, 3], new float[2], 2, 3));
        Assert.Contains("Example 1 has label 3, outside the 3 classes [0, 3)", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Rows.OneHot([-1], new float[3], 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rows.Accuracy(new float[3], [5], new float[1], 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rows.CrossEntropyBackward(new float[3], [9], [1f], new float[3], 1, 3));
    }

    [Fact]
    public void ShortBuffersAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Rows.Softmax(new float[5], new float[6], 2, 3));
        Assert.Contains("'x' has 5 floats; a [2, 3] matrix needs 6", error.Message);
        Assert.Throws<ArgumentException>(() => Rows.Sum(new float[6], new float[1], 2, 3));
    }

    [Fact]
    public void MeanSumsInDoubleAndDotMultiplies()
    {
        // 1 + 1e-8·n cannot be accumulated in float; in double the mean is exact enough.
        float[] x = Enumerable.Repeat(1f, 10_000_001).ToArray();
        x[0] = 2f;
        AssertNear(1 + 1.0 / x.Length, Rows.Mean(x), 0, 1e-7);
        Assert.True(float.IsNaN(Rows.Mean([])));
        Assert.Equal(32f, Rows.Dot([1, 2, 3], [4, 5, 6]));
        Assert.Throws<ArgumentException>(() => Rows.Dot([1], [1, 2]));
    }

    private static float[] Logits(int rows, int cols, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * cols).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
    }

    private static double[] Row(float[] x, int r, int cols) => x.Skip(r * cols).Take(cols).Select(v => (double)v).ToArray();

    private static void AssertNear(double expected, double actual, double absolute, double relative)
    {
        if (!(Math.Abs(expected - actual) <= absolute + relative * Math.Abs(expected)))
            Assert.Fail($"Expected {expected:R} but got {actual:R}.");
    }
}
