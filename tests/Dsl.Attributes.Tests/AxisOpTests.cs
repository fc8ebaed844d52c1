using System;
using Xunit;
using static Dsl.Ops;

namespace Dsl.Attributes.Tests;

/// <summary>
/// The eager reductions and normalizations over one axis (torch.sum/max/min/argmax/logsumexp with
/// dim and keepdim, softmax/log_softmax with dim) and torch.cat/torch.stack, against values worked
/// by hand.
/// </summary>
public class AxisOpTests
{
    // [[1, 5, 3], [4, 2, 6]]
    private static Tensor M() => new(new[] { 1.0, 5, 3, 4, 2, 6 }, 2, 3);

    [Fact]
    public void SumMaxMinOverAnAxis_KeepOrDropIt()
    {
        Approx.Tensor(Sum(M(), 0), new[] { 3 }, new[] { 5.0, 7, 9 });
        Approx.Tensor(Sum(M(), -1, keepDim: true), new[] { 2, 1 }, new[] { 9.0, 12 });
        Approx.Tensor(Max(M(), 0), new[] { 3 }, new[] { 4.0, 5, 6 });
        Approx.Tensor(Max(M(), 1, keepDim: true), new[] { 2, 1 }, new[] { 5.0, 6 });
        Approx.Tensor(Min(M(), -2), new[] { 3 }, new[] { 1.0, 2, 3 });
        Approx.Scalar(6, Max(M()));
        Approx.Scalar(1, Min(M()));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sum(M(), 2));
    }

    [Fact]
    public void ArgMax_TakesTheFirstLargestAndCountsNaNAsLargest()
    {
        Approx.Tensor(ArgMax(M(), 1), new[] { 2 }, new[] { 1.0, 2 });
        Approx.Tensor(ArgMax(M(), 0, keepDim: true), new[] { 1, 3 }, new[] { 1.0, 0, 1 });
        Approx.Tensor(ArgMax(new Tensor(new[] { 2.0, 7, 7, 1 }, 4), 0), Array.Empty<int>(), new[] { 1.0 });
        Approx.Tensor(ArgMax(new Tensor(new[] { 2.0, double.NaN, 7 }, 3), 0), Array.Empty<int>(), new[] { 1.0 });
        Assert.True(double.IsNaN(Max(new Tensor(new[] { 2.0, double.NaN, 7 }, 3), 0).Item()));
    }

    [Fact]
    public void LogSumExpAndSoftmaxOverTheFirstAxis()
    {
        // Column j: ln(e^a + e^b) and softmax over the two rows.
        Approx.Tensor(LogSumExp(M(), 0), new[] { 3 },
            new[] { Math.Log(Math.Exp(1) + Math.Exp(4)), Math.Log(Math.Exp(5) + Math.Exp(2)), Math.Log(Math.Exp(3) + Math.Exp(6)) }, 1e-14);
        double p = 1 / (1 + Math.Exp(3));   // softmax([1, 4])[0]
        Approx.Tensor(Softmax(M(), 0), new[] { 2, 3 }, new[] { p, 1 - p, p, 1 - p, p, 1 - p }, 1e-14);
        Approx.Tensor(LogSoftmax(M(), 0), new[] { 2, 3 }, new[] { Math.Log(p), Math.Log(1 - p), Math.Log(p), Math.Log(1 - p), Math.Log(p), Math.Log(1 - p) }, 1e-13);
        // A huge value does not overflow: m + ln Σ exp(x − m).
        Approx.Scalar(1000 + Math.Log(2), LogSumExp(new Tensor(new[] { 1000.0, 1000 }, 2), -1), 1e-15);
    }

    [Fact]
    public void Gather_ReadsAlongAnAxisAtWholeIndices()
    {
        // torch.gather(M, 0, [[1, 0, 1]]) = [[4, 5, 6]]; along the last axis, two picks per row.
        Approx.Tensor(Gather(M(), 0, new Tensor(new[] { 1.0, 0, 1 }, 1, 3)), new[] { 1, 3 }, new[] { 4.0, 5, 6 });
        Approx.Tensor(Gather(M(), -1, new Tensor(new[] { 2.0, 2, 0, 1 }, 2, 2)), new[] { 2, 2 }, new[] { 3.0, 3, 4, 2 });
        // At ArgMax's indices it is Max with keepDim.
        Approx.Tensor(Gather(M(), 1, ArgMax(M(), 1, keepDim: true)), new[] { 2, 1 }, new[] { 5.0, 6 });
        Assert.Throws<ArgumentOutOfRangeException>(() => Gather(M(), 1, new Tensor(new[] { 3.0, 0 }, 2, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gather(M(), 1, new Tensor(new[] { 0.5, 0 }, 2, 1)));
        var error = Assert.Throws<ArgumentException>(() => Gather(M(), 1, new Tensor(new[] { 0.0, 0, 0 }, 3, 1)));
        Assert.Contains("Tensor[3, 1]", error.Message);
    }

    [Fact]
    public void CatAndStack_JoinAlongAnExistingOrANewAxis()
    {
        Approx.Tensor(Cat([M(), M()], 1), new[] { 2, 6 }, new[] { 1.0, 5, 3, 1, 5, 3, 4, 2, 6, 4, 2, 6 });
        Approx.Tensor(Cat(new[] { M(), M() }), new[] { 4, 3 }, new[] { 1.0, 5, 3, 4, 2, 6, 1, 5, 3, 4, 2, 6 });
        Tensor twice = M() * 2;
        Approx.Tensor(Stack([M(), twice]), new[] { 2, 2, 3 }, new[] { 1.0, 5, 3, 4, 2, 6, 2, 10, 6, 8, 4, 12 });
        Approx.Tensor(Stack([M(), twice], axis: 1), new[] { 2, 2, 3 }, new[] { 1.0, 5, 3, 2, 10, 6, 4, 2, 6, 8, 4, 12 });
        Approx.Tensor(Stack([M(), twice], -1), new[] { 2, 3, 2 }, new[] { 1.0, 2, 5, 10, 3, 6, 4, 8, 2, 4, 6, 12 });
        Assert.Throws<ArgumentOutOfRangeException>(() => Stack([M(), twice], 3));
        var error = Assert.Throws<ArgumentException>(() => Stack([M(), Tensor.Zeros(3, 2)]));
        Assert.Contains("Tensor[3, 2]", error.Message);
    }
}
