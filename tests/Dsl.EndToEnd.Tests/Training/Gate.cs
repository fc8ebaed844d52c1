using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Dsl.EndToEnd.Tests.Training;

/// <summary>
/// A point inside a call where the thread that reaches it first waits until the test releases
/// it: how a test holds one call open so that another call certainly overlaps it, on any number
/// of cores and without timing. Later threads pass straight through.
/// </summary>
internal sealed class Gate : IDisposable
{
    // Long enough for a loaded machine; reached only when a test fails to release the gate.
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly ManualResetEventSlim _entered = new();
    private readonly ManualResetEventSlim _released = new();
    private int _armed = 1;

    /// <summary>Called inside the call being held: the first thread here waits for <see cref="Release"/>.</summary>
    public void Pass()
    {
        if (Interlocked.Exchange(ref _armed, 0) == 0)
            return;
        _entered.Set();
        if (!_released.Wait(s_timeout))
            throw new TimeoutException("The test never released the gate.");
    }

    /// <summary>Blocks until a thread waits inside the gate, so that its call is certainly running.</summary>
    public void WaitUntilEntered() =>
        Assert.True(_entered.Wait(s_timeout), "No call reached the gate.");

    /// <summary>Lets the waiting thread go on.</summary>
    public void Release() => _released.Set();

    /// <summary>Runs <paramref name="call"/> on a thread of its own, as a second caller would.</summary>
    public static Task<T> OnAnotherThread<T>(Func<T> call) =>
        Task.Factory.StartNew(call, TaskCreationOptions.LongRunning);

    /// <summary>Releases the gate, so that a failing test never leaves a thread waiting in it.</summary>
    public void Dispose() => Release();
}
