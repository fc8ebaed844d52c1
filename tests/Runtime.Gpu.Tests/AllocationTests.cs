using System;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests;

[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationCollection
{
}

/// <summary>
/// The hot paths a train step calls thousands of times allocate nothing once warm (first calls
/// may allocate the per-thread packing buffers, job objects and the worker threads).
/// Runs alone so that the worker pool is never busy with another test's loop.
/// </summary>
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests
{
    private static readonly float[] Sink = new float[64];

    private static readonly Action<int, int> Body = (start, end) =>
    {
        for (int i = start; i < end; i++)
            Sink[i % Sink.Length] += i;
    };

    [Fact]
    public void GemmAllocatesNothing()
    {
        float[] a = new float[300 * 300], b = new float[300 * 300], c = new float[300 * 300];
        AssertNoAllocation(() =>
        {
            Gemm.Multiply(false, true, 300, 300, 300, a, b, c);          // blocked, parallel
            Gemm.Multiply(true, false, 60, 70, 80, a, b, c, true);       // blocked, one thread
            Gemm.Multiply(false, true, 32, 16, 10, a, b, c);             // small, transposed copy
            Gemm.Multiply(false, true, 1, 300, 300, a, b, c);            // small, dot form
        });
    }

    [Fact]
    public void OptimizerUpdatesAllocateNothing()
    {
        const int count = 200_000; // split across cores
        float[] parameters = new float[count], gradients = new float[count];
        OptimizerState adam = new AdamW { ClipGradNorm = 1f }.CreateState(count);
        OptimizerState sgd = new Sgd(0.1f, momentum: 0.9f, nesterov: true).CreateState(100);
        AssertNoAllocation(() =>
        {
            adam.Update(parameters, gradients);
            sgd.Update(parameters.AsSpan(0, 100), gradients.AsSpan(0, 100));
        });
    }

    [Fact]
    public void CpuParallelAllocatesNothing()
    {
        AssertNoAllocation(() =>
        {
            CpuParallel.For(100_000, 1000, Body);
            CpuParallel.For(10, 100, Body);
        });
    }

    [Fact]
    public void RowKernelsAllocateNothing()
    {
        const int rows = 512, cols = 100;
        float[] x = new float[rows * cols], y = new float[rows * cols], loss = new float[rows], g = new float[rows];
        int[] labels = new int[rows];
        AssertNoAllocation(() =>
        {
            Rows.Softmax(x, y, rows, cols);
            Rows.CrossEntropy(x, labels, loss, rows, cols);
            Rows.CrossEntropyBackward(x, labels, g, y, rows, cols);
            Rows.ColumnSum(x, g, rows, cols / 2);
            InputGuard.CopyChecked(x, y, "x", cols);
        });
    }

    private static void AssertNoAllocation(Action action)
    {
        for (int i = 0; i < 20; i++)
            action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
            action();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} bytes allocated in 20 warm calls.");
    }
}
