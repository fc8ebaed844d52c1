using System;
using Xunit;
using static Dsl.Ops;

namespace Dsl.Attributes.Tests;

/// <summary>
/// The eager tensor ops against values worked by hand from torch's definitions (torch.transpose,
/// reshape, cat, split, chunk, mean/var with dim and keepdim, where, tril, matmul).
/// </summary>
public class TensorOpTests
{
    // [[1, 2, 3], [4, 5, 6]]
    private static Tensor M() => new(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0 }, 2, 3);

    // [2, 3, 2]: element [i, j, k] = 100i + 10j + k
    private static Tensor Cube()
    {
        var data = new double[12];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 2; k++)
                    data[(i * 6) + (j * 2) + k] = (100 * i) + (10 * j) + k;
        return new Tensor(data, 2, 3, 2);
    }

    [Fact]
    public void Transpose_SwapsTheLastTwoAxesOrTheGivenOnes()
    {
        Approx.Tensor(Transpose(M()), new[] { 3, 2 }, new[] { 1.0, 4, 2, 5, 3, 6 });
        Approx.Tensor(Transpose(M(), -1, 0), new[] { 3, 2 }, new[] { 1.0, 4, 2, 5, 3, 6 });
        // Axes 0 and 2 of [2, 3, 2]: y[k, j, i] = x[i, j, k].
        Tensor t = Transpose(Cube(), 0, 2);
        Assert.Equal(new[] { 2, 3, 2 }, t.Shape);
        Assert.Equal(new[] { 0.0, 100, 10, 110, 20, 120, 1, 101, 11, 111, 21, 121 }, t.Data.ToArray());
        Assert.Throws<ArgumentException>(() => Transpose(Tensor.Zeros(3)));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Transpose(M(), 0, 2));
        Assert.Contains("Axis 2 of Transpose is out of range for Tensor[2, 3]", error.Message);
    }

    [Fact]
    public void Reshape_KeepsTheOrderAndInfersOneDimension()
    {
        Approx.Tensor(Reshape(M(), 3, 2), new[] { 3, 2 }, new[] { 1.0, 2, 3, 4, 5, 6 });
        Assert.Equal(new[] { 6 }, Reshape(M(), -1).Shape);
        Assert.Equal(new[] { 1, 2, 3 }, Reshape(M(), 1, -1, 3).Shape);
        var error = Assert.Throws<ArgumentException>(() => Reshape(M(), 4, -1));
        Assert.Contains("Cannot reshape Tensor[2, 3] (6 elements) to [4, -1]", error.Message);
        Assert.Throws<ArgumentException>(() => Reshape(M(), -1, -1));
        Assert.Throws<ArgumentException>(() => Reshape(M(), 0, 6));
    }

    [Fact]
    public void Concat_JoinsAlongAnAxis()
    {
        var column = new Tensor(new[] { 7.0, 8.0 }, 2, 1);
        Approx.Tensor(Concat(-1, M(), column), new[] { 2, 4 }, new[] { 1.0, 2, 3, 7, 4, 5, 6, 8 });
        Approx.Tensor(Concat(0, M(), M()), new[] { 4, 3 }, new[] { 1.0, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6 });
        var error = Assert.Throws<ArgumentException>(() => Concat(0, M(), column));
        Assert.Contains("a part of Tensor[2, 1] does not match the first part's Tensor[2, 3]", error.Message);
        Assert.Throws<ArgumentException>(() => Concat(0));
    }

    [Fact]
    public void SplitAndChunk_CutAnAxisIntoParts()
    {
        Tensor[] parts = Split(M(), 2, -1);
        Assert.Equal(2, parts.Length);
        Approx.Tensor(parts[0], new[] { 2, 2 }, new[] { 1.0, 2, 4, 5 });
        Approx.Tensor(parts[1], new[] { 2, 1 }, new[] { 3.0, 6 });
        Tensor[] rows = Split(M(), 1);
        Approx.Tensor(rows[1], new[] { 1, 3 }, new[] { 4.0, 5, 6 });
        Tensor[] chunks = Chunk(Tensor.Zeros(5), 3);   // torch.chunk(5 elements, 3) gives sizes 2, 2, 1
        Assert.Equal(new[] { 2, 2, 1 }, Array.ConvertAll(chunks, c => c.Shape[0]));
        Approx.Tensor(Concat(-1, parts), new[] { 2, 3 }, new[] { 1.0, 2, 3, 4, 5, 6 });
        Assert.Throws<ArgumentOutOfRangeException>(() => Split(M(), 0));
    }

    [Fact]
    public void MeanAndVariance_ReduceOneAxisWithKeepDim()
    {
        Approx.Tensor(Mean(M(), 0), new[] { 3 }, new[] { 2.5, 3.5, 4.5 });
        Approx.Tensor(Mean(M(), -1, keepDim: true), new[] { 2, 1 }, new[] { 2.0, 5.0 });
        // torch.var([1, 2, 3]) = 1 (unbiased), 2/3 biased.
        Approx.Tensor(Variance(M(), 1), new[] { 2 }, new[] { 1.0, 1.0 });
        Approx.Tensor(Variance(M(), 1, unbiased: false, keepDim: true), new[] { 2, 1 }, new[] { 2.0 / 3, 2.0 / 3 }, 1e-15);
        // Over the middle axis of [2, 3, 2]: mean of 10j over j is 10.
        Approx.Tensor(Mean(Cube(), 1), new[] { 2, 2 }, new[] { 10.0, 11, 110, 111 });
        Approx.Tensor(Variance(Cube(), 1, unbiased: false), new[] { 2, 2 }, new[] { 200.0 / 3, 200.0 / 3, 200.0 / 3, 200.0 / 3 }, 1e-14);
        Assert.True(double.IsNaN(Variance(Tensor.Zeros(1, 2), 0).Data[0]));   // unbiased over one element, as torch
        Assert.Throws<ArgumentOutOfRangeException>(() => Mean(M(), 2));
    }

    [Fact]
    public void KeepDimResultsBroadcastBack()
    {
        Tensor centred = M() - Mean(M(), -1, keepDim: true);
        Approx.Tensor(centred, new[] { 2, 3 }, new[] { -1.0, 0, 1, -1, 0, 1 });
        // A trailing shape repeats over the leading axes: [3] against [2, 3].
        Approx.Tensor(M() * new Tensor(new[] { 1.0, 0, -1 }, 3), new[] { 2, 3 }, new[] { 1.0, 0, -3, 4, 0, -6 });
        Assert.Throws<ArgumentException>(() => M() + Tensor.Zeros(2));
    }

    [Fact]
    public void CausalMask_IsLowerTriangular()
    {
        Approx.Tensor(CausalMask(3), new[] { 3, 3 }, new[] { 1.0, 0, 0, 1, 1, 0, 1, 1, 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => CausalMask(0));
    }

    [Fact]
    public void Where_PicksBySignOfTheConditionAndBroadcasts()
    {
        var scores = new Tensor(new[] { 1.0, 2, 3, 4, 5, 6, 7, 8, 9 }, 3, 3);
        Approx.Tensor(Where(CausalMask(3), scores, -1e9), new[] { 3, 3 }, new[] { 1.0, -1e9, -1e9, 4, 5, -1e9, 7, 8, 9 });
        Approx.Tensor(Where(new Tensor(new[] { 0.0, -2, 0.5 }, 3), 1.0, Tensor.Zeros(3)), new[] { 3 }, new[] { 0.0, 1, 1 });
        // A [3, 3] mask against [2, 3, 3] scores (two heads).
        Tensor heads = Where(CausalMask(3), Concat(0, Reshape(scores, 1, 3, 3), Reshape(scores, 1, 3, 3)), 0.0);
        Assert.Equal(new[] { 2, 3, 3 }, heads.Shape);
        Assert.Equal(0.0, heads.Data[9 + 1]);
        Assert.Equal(8.0, heads.Data[9 + 7]);
        // A [3, 1] condition against [1, 3] values: both broadcast to [3, 3], as torch.where's.
        Tensor outer = Where(new Tensor(new[] { 1.0, 0, 1 }, 3, 1), new Tensor(new[] { 1.0, 2, 3 }, 1, 3), -1.0);
        Approx.Tensor(outer, new[] { 3, 3 }, new[] { 1.0, 2, 3, -1, -1, -1, 1, 2, 3 });
        var error = Assert.Throws<ArgumentException>(() => Where(CausalMask(2), scores, 0.0));
        Assert.Contains("Where(condition Tensor[2, 2], a Tensor[3, 3], b Tensor[])", error.Message);
    }

    [Fact]
    public void MatMul_MultipliesMatricesPerLeadingIndex()
    {
        // [[1, 2, 3], [4, 5, 6]] · [[1, 4], [2, 5], [3, 6]] = [[14, 32], [32, 77]]
        Approx.Tensor(MatMul(M(), Transpose(M())), new[] { 2, 2 }, new[] { 14.0, 32, 32, 77 });
        Tensor stack = Concat(0, Reshape(M(), 1, 2, 3), Reshape(M() * 2, 1, 2, 3));   // [2, 2, 3]
        Tensor batched = MatMul(stack, Transpose(M()));                               // a shared right matrix
        Approx.Tensor(batched, new[] { 2, 2, 2 }, new[] { 14.0, 32, 32, 77, 28, 64, 64, 154 });
        Approx.Tensor(MatMul(stack, Transpose(stack)), new[] { 2, 2, 2 }, new[] { 14.0, 32, 32, 77, 56, 128, 128, 308 });
        var error = Assert.Throws<ArgumentException>(() => MatMul(M(), M()));
        Assert.Contains("the inner dimensions 3 and 2 differ", error.Message);
        Assert.Throws<ArgumentException>(() => MatMul(Tensor.Zeros(3), M()));
        Assert.Throws<ArgumentException>(() => MatMul(Tensor.Zeros(2, 2, 3), Tensor.Zeros(3, 3, 2)));
    }
}
