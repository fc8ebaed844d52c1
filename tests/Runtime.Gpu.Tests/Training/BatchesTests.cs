using System;
using Xunit;

namespace Dsl.Tests.Training;

/// <summary>Lightning's int-or-float batch limits: a count is capped, a fraction rounds down to at least one.</summary>
public sealed class BatchesTests
{
    [Theory]
    [InlineData(10, 100, 10)]
    [InlineData(10, 4, 4)]
    [InlineData(0, 4, 0)]
    public void ACountIsCappedAtTheAvailableBatches(int count, int available, int expected) =>
        Assert.Equal(expected, ((Batches)count).Resolve(available));

    [Theory]
    [InlineData(0.25, 100, 25)]
    [InlineData(0.25, 7, 1)]
    [InlineData(0.5, 7, 3)]
    [InlineData(0.01, 7, 1)]
    [InlineData(1.0, 7, 7)]
    public void AFractionRoundsDownButKeepsAtLeastOneBatch(double fraction, int available, int expected) =>
        Assert.Equal(expected, ((Batches)fraction).Resolve(available));

    [Fact]
    public void AllIsTheWholeEpoch()
    {
        Assert.Equal(123, Batches.All.Resolve(123));
        Assert.Equal("0.25 of an epoch", ((Batches)0.25).ToString());
        Assert.Equal("3 batches", ((Batches)3).ToString());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void AFractionOutsideZeroToOneIsRejected(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => (Batches)fraction);

    [Fact]
    public void ANegativeCountIsRejected() => Assert.Throws<ArgumentOutOfRangeException>(() => (Batches)(-1));
}
