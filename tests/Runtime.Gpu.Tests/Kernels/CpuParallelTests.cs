using System;
using System.Threading;
using System.Threading.Tasks;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

public sealed class CpuParallelTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(5, 10)]
    [InlineData(7, 1)]
    [InlineData(1000, 3)]
    [InlineData(100_003, 64)]
    public void CoversEveryIndexExactlyOnce(int count, int grain)
    {
        var hits = new int[count];
        CpuParallel.For(count, grain, (start, end) =>
        {
            Assert.True(start < end, "empty range");
            for (int i = start; i < end; i++)
                Interlocked.Increment(ref hits[i]);
        });
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void RangesAreAtLeastTheGrainExceptWhenTheWholeLoopIsSmaller()
    {
        int smallest = int.MaxValue;
        CpuParallel.For(10_000, 100, (start, end) => InterlockedMin(ref smallest, end - start));
        Assert.True(smallest >= 100, $"a range of {smallest} indices");
    }

    [Fact]
    public void SmallLoopsRunInlineOnTheCaller()
    {
        int caller = Environment.CurrentManagedThreadId, seen = -1;
        CpuParallel.For(8, 8, (_, _) => seen = Environment.CurrentManagedThreadId);
        Assert.Equal(caller, seen);
    }

    [Fact]
    public void PropagatesTheFirstExceptionAfterEveryThreadStops()
    {
        int running = 0;
        var error = Assert.Throws<InvalidOperationException>(() => CpuParallel.For(64, 1, (start, end) =>
        {
            Interlocked.Increment(ref running);
            try
            {
                Thread.SpinWait(1000);
                if (start <= 13 && 13 < end)
                    throw new InvalidOperationException("index 13 failed");
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }));
        Assert.Equal("index 13 failed", error.Message);
        Assert.Equal(0, Volatile.Read(ref running));

        // The pool is still usable afterwards.
        CoversEveryIndexExactlyOnce(1000, 1);
    }

    [Fact]
    public void NestedLoopsRunInline()
    {
        var hits = new int[64 * 64];
        CpuParallel.For(64, 1, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                int row = i;
                CpuParallel.For(64, 1, (s, e) =>
                {
                    for (int j = s; j < e; j++)
                        Interlocked.Increment(ref hits[row * 64 + j]);
                });
            }
        });
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void ConcurrentCallersEachGetTheirWholeLoop()
    {
        Parallel.For(0, 8, caller =>
        {
            for (int round = 0; round < 20; round++)
            {
                var hits = new int[5000];
                CpuParallel.For(hits.Length, 16, (start, end) =>
                {
                    for (int i = start; i < end; i++)
                        Interlocked.Increment(ref hits[i]);
                });
                Assert.All(hits, h => Assert.Equal(1, h));
            }
        });
    }

    [Fact]
    public void ValidatesArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuParallel.For(-1, 1, (_, _) => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuParallel.For(10, 0, (_, _) => { }));
        Assert.Throws<ArgumentNullException>(() => CpuParallel.For(10, 1, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuParallel.MaxConcurrency = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuParallel.MaxConcurrency = Environment.ProcessorCount + 1);
        Assert.Equal(Environment.ProcessorCount, CpuParallel.MaxConcurrency);
    }

    private static void InterlockedMin(ref int target, int value)
    {
        int current;
        while (value < (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
