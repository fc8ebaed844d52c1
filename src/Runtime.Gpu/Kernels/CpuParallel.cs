using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Dsl.Kernels;

/// <summary>
/// A tiny fork-join loop over persistent worker threads, used by every multi-threaded kernel.
/// Unlike <c>Parallel.For</c> it allocates nothing per call (no closures, tasks or partitioners),
/// which matters when a train step runs dozens of kernels many thousand times.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Environment.ProcessorCount"/> - 1 background workers are started on first use; the
/// calling thread takes part, so a loop uses every core. Work is cut into at most a few chunks per
/// thread and handed out through one atomic counter, so uneven chunks still balance.
/// </para>
/// <para>
/// Calls never deadlock: a call from inside a loop body, or from a second thread while another
/// thread's loop holds the workers, simply runs its body inline on the calling thread.
/// </para>
/// </remarks>
public static class CpuParallel
{
    /// <summary>Chunks per thread: enough to even out uneven chunks, few enough to keep the counter cold.</summary>
    private const int ChunksPerThread = 4;

    private static readonly object Gate = new();
    private static readonly int Participants = Environment.ProcessorCount;

    // Set on worker threads for good and on a caller while it runs its share, so nested loops run inline.
    [ThreadStatic]
    private static bool t_insideLoop;

    /// <summary>How long an idle worker polls for the next loop before it blocks.</summary>
    /// <remarks>
    /// The kernels of a train step follow each other within microseconds, while waking a blocked
    /// thread costs a futex call and, in a virtual machine, an inter-processor interrupt that can
    /// take far longer than the work itself. Polling briefly keeps back-to-back loops cheap; the
    /// pause instructions of the poll leave the core's resources to a sibling hyperthread.
    /// </remarks>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs

    private static SemaphoreSlim? s_wake;

    // The current loop; written only by the thread holding Gate, before the workers are woken.
    private static Action<int, int>? s_body;
    private static int s_count;
    private static int s_chunks;
    private static int s_nextChunk;
    private static int s_outstandingHelpers;
    private static Exception? s_error;

    private static int s_maxConcurrency = Participants;

    /// <summary>
    /// The most threads a loop runs on, the caller included: <see cref="Environment.ProcessorCount"/>
    /// unless lowered (like <c>torch.set_num_threads</c>); 1 runs every loop inline.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above <see cref="Environment.ProcessorCount"/>.</exception>
    public static int MaxConcurrency
    {
        get => Volatile.Read(ref s_maxConcurrency);
        set
        {
            if (value < 1 || value > Participants)
                throw new ArgumentOutOfRangeException(nameof(value), value, $"MaxConcurrency must lie in [1, {Participants}] (was {value}).");
            Volatile.Write(ref s_maxConcurrency, value);
        }
    }

    /// <summary>
    /// Calls <paramref name="body"/>(start, end) over disjoint ranges that together cover
    /// [0, <paramref name="count"/>) exactly once, in parallel when the work is big enough, and
    /// returns when every range is done.
    /// </summary>
    /// <param name="count">The number of indices.</param>
    /// <param name="grain">The smallest range worth a thread: loops of at most this many indices run inline.</param>
    /// <param name="body">The work for one range [start, end); cache the delegate so the call does not allocate.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="grain"/> is less than 1.</exception>
    /// <remarks>The first exception thrown by any range is rethrown here after every thread has stopped; ranges not yet started are skipped.</remarks>
    public static void For(int count, int grain, Action<int, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(grain, 1);
        if (count == 0)
            return;

        int threads = MaxConcurrency;
        if (count <= grain || threads == 1 || t_insideLoop || !Monitor.TryEnter(Gate))
        {
            body(0, count);
            return;
        }

        try
        {
            Run(count, grain, threads, body);
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    private static void Run(int count, int grain, int threads, Action<int, int> body)
    {
        EnsureWorkers();
        int chunks = (int)Math.Min((count + (long)grain - 1) / grain, (long)threads * ChunksPerThread);
        int helpers = Math.Min(threads - 1, chunks - 1);

        s_body = body;
        s_count = count;
        s_chunks = chunks;
        s_nextChunk = 0;
        s_error = null;
        Volatile.Write(ref s_outstandingHelpers, helpers);
        s_wake!.Release(helpers);

        t_insideLoop = true;
        try
        {
            RunChunks();
        }
        finally
        {
            t_insideLoop = false;
        }

        // Take back wake-ups no worker has claimed yet: when the caller finished everything alone
        // there is no need to wait for a sleeping thread to wake up and find nothing left.
        for (int i = 0; i < helpers && s_wake.Wait(0); i++)
            Interlocked.Decrement(ref s_outstandingHelpers);

        // The helpers that did start are finishing their last chunk: poll rather than block, since
        // a blocked caller would pay a wake-up of its own. SpinWait yields the core after a few spins.
        var spinner = new SpinWait();
        while (Volatile.Read(ref s_outstandingHelpers) != 0)
            spinner.SpinOnce(sleep1Threshold: -1);

        Exception? error = s_error;
        s_body = null;
        s_error = null;
        if (error is not null)
            ExceptionDispatchInfo.Throw(error);
    }

    private static void RunChunks()
    {
        Action<int, int> body = s_body!;
        int count = s_count, chunks = s_chunks;
        while (true)
        {
            int chunk = Interlocked.Increment(ref s_nextChunk) - 1;
            if (chunk >= chunks)
                return;
            if (Volatile.Read(ref s_error) is not null)
                continue;

            int start = (int)((long)chunk * count / chunks);
            int end = (int)((long)(chunk + 1) * count / chunks);
            try
            {
                body(start, end);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref s_error, exception, null);
            }
        }
    }

    private static void EnsureWorkers()
    {
        if (s_wake is not null)
            return;

        var wake = new SemaphoreSlim(0);
        for (int i = 1; i < Participants; i++)
        {
            var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"Dsl.CpuParallel worker {i}" };
            thread.Start(wake);
        }

        s_wake = wake;
    }

    private static void WorkerLoop(object? state)
    {
        var wake = (SemaphoreSlim)state!;
        t_insideLoop = true;
        while (true)
        {
            WaitForWork(wake);
            RunChunks();
            Interlocked.Decrement(ref s_outstandingHelpers);
        }
    }

    /// <summary>Takes one wake-up token: polls for <see cref="SpinTicks"/>, then blocks.</summary>
    private static void WaitForWork(SemaphoreSlim wake)
    {
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        do
        {
            for (int i = 0; i < 64; i++)
            {
                if (wake.CurrentCount > 0 && wake.Wait(0))
                    return;
                Thread.SpinWait(8);
            }
        }
        while (Stopwatch.GetTimestamp() < deadline);

        wake.Wait();
    }
}
