using System;
using System.Threading;
using Xunit;
using static Dsl.Ops;

namespace Dsl.Attributes.Tests;

public class EagerLogTests
{
    [Fact]
    public void Log_RecordsTheLastValuePerName()
    {
        EagerLog.Clear();
        Log("train_loss", Tensor.Scalar(0.9));
        Log("train_loss", Tensor.Scalar(0.7));
        Log("val_acc", Tensor.Scalar(1.0));

        Assert.Equal(2, EagerLog.Values.Count);
        Assert.Equal(0.7, EagerLog.Values["train_loss"]);
        Assert.Equal(1.0, EagerLog.Values["val_acc"]);
    }

    [Fact]
    public void Clear_ForgetsEverything()
    {
        Log("x", Tensor.Scalar(1));
        EagerLog.Clear();
        Assert.Empty(EagerLog.Values);
    }

    [Fact]
    public void Values_IsASnapshot()
    {
        EagerLog.Clear();
        Log("a", Tensor.Scalar(1));
        var snapshot = EagerLog.Values;
        Log("a", Tensor.Scalar(2));
        EagerLog.Clear();
        Assert.Equal(1.0, snapshot["a"]);
    }

    [Fact]
    public void Names_AreCaseSensitive()
    {
        EagerLog.Clear();
        Log("Loss", Tensor.Scalar(1));
        Log("loss", Tensor.Scalar(2));
        Assert.Equal(2, EagerLog.Values.Count);
    }

    [Fact]
    public void Log_IsPerThread()
    {
        EagerLog.Clear();
        Log("main", Tensor.Scalar(1));

        int otherCount = -1;
        var thread = new Thread(() =>
        {
            Log("other", Tensor.Scalar(2));
            otherCount = EagerLog.Values.Count;
        });
        thread.Start();
        thread.Join();

        Assert.Equal(1, otherCount);
        Assert.False(EagerLog.Values.ContainsKey("other"));
    }

    [Fact]
    public void Log_NeedsAScalar()
    {
        var e = Assert.Throws<ArgumentException>(() => Log("loss", Tensor.Zeros(3)));
        Assert.Contains("Tensor[3]", e.Message);
        Assert.Contains("\"loss\"", e.Message);
        // A one-element vector is not a scalar either: reduce it explicitly.
        Assert.Throws<ArgumentException>(() => Log("loss", Tensor.Zeros(1)));
    }

    [Fact]
    public void Log_NeedsAName()
    {
        Assert.Throws<ArgumentException>(() => Log("", Tensor.Scalar(1)));
        Assert.Throws<ArgumentException>(() => Log("  ", Tensor.Scalar(1)));
        Assert.Throws<ArgumentNullException>(() => Log(null!, Tensor.Scalar(1)));
    }
}
