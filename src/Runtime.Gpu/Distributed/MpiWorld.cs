using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using Dsl.Interop.Mpi;

namespace Dsl;

/// <summary>
/// This process's place in an Open MPI job (<c>MPI_COMM_WORLD</c>): its rank, the job's size, and
/// the collectives data-parallel training uses (all-reduce, broadcast, all-gather, barrier), each
/// bounded by <see cref="Timeout"/> so that a dead or hung peer is an error, never a hang.
/// </summary>
/// <remarks>
/// MPI is initialised once per process (<see cref="Initialize"/>) and finalised when the process
/// exits. Every call must come from the thread that initialised it (<c>MPI_THREAD_FUNNELED</c>),
/// and the collectives are collective: every rank makes the same calls in the same order.
/// </remarks>
public sealed unsafe class MpiWorld
{
    private static MpiWorld? s_world;
    private static readonly object s_gate = new();
    private readonly nint _comm;
    private long _bytesAllReduced;
    private long _bytesBroadcast;
    private long _waitTicks;

    private MpiWorld(nint comm, int rank, int size)
    {
        _comm = comm;
        Rank = rank;
        Size = size;
    }

    /// <summary>This process's rank, from 0.</summary>
    public int Rank { get; }

    /// <summary>How many processes the job has.</summary>
    public int Size { get; }

    /// <summary>
    /// How long a collective may wait for its peers before it throws <see cref="DistributedTimeoutException"/>
    /// (default 5 minutes). MPI cannot cancel a collective, so after a timeout the job must end
    /// (<see cref="Abort"/>, as the Trainer does): the timed-out operation may still touch its buffer.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Bytes this rank has contributed to float all-reduces (its buffer's size per call), for the gradient-traffic figures.</summary>
    public long BytesAllReduced => Interlocked.Read(ref _bytesAllReduced);

    /// <summary>Bytes of float broadcasts this rank has taken part in (the buffer's size per call, sent or received): the start-up broadcast of the parameters and the per-step broadcast of the buffers.</summary>
    public long BytesBroadcast => Interlocked.Read(ref _bytesBroadcast);

    /// <summary>
    /// Time this rank has spent waiting for its collectives to complete, from each wait's start to
    /// its end: the communication that nothing overlapped (a bucket whose all-reduce finished during
    /// the backward pass costs almost none), plus the time peers took to reach the collective.
    /// </summary>
    public TimeSpan TimeWaiting => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _waitTicks));

    /// <summary>
    /// The size of the job that launched this process, read from Open MPI's environment
    /// (<c>OMPI_COMM_WORLD_SIZE</c>, which <c>mpirun</c> sets): 1 when not launched by <c>mpirun</c>.
    /// Reading it does not load MPI.
    /// </summary>
    public static int LaunchedSize =>
        int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE"), NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size > 0 ? size : 1;

    /// <summary>
    /// This process's rank in the job that launched it (<c>OMPI_COMM_WORLD_RANK</c>): 0 when not
    /// launched by <c>mpirun</c>. Reading it does not load MPI, so a program can decide before
    /// training what only rank 0 does (make loggers, print results).
    /// </summary>
    public static int LaunchedRank =>
        int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK"), NumberStyles.None, CultureInfo.InvariantCulture, out int rank) ? rank : 0;

    /// <summary>Initialises MPI on the first call (with <c>MPI_THREAD_FUNNELED</c>) and returns the world; later calls return the same.</summary>
    /// <returns>The world communicator.</returns>
    /// <exception cref="MpiUnavailableException">libmpi.so.40 is not installed; the message gives the apt-get line.</exception>
    public static MpiWorld Initialize()
    {
        lock (s_gate)
        {
            if (s_world is not null)
                return s_world;
            nint comm;
            try
            {
                comm = MpiNative.Handles.CommWorld;
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
            {
                throw new MpiUnavailableException(e.InnerException ?? e);
            }

            Check(MpiNative.Initialized(out int initialized), "MPI_Initialized");
            if (initialized == 0)
            {
                Check(MpiNative.InitThread(0, 0, MpiNative.ThreadFunneled, out _), "MPI_Init_thread");
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    if (MpiNative.Finalized(out int done) == 0 && done == 0)
                        MpiNative.Finalize();
                };
            }

            Check(MpiNative.CommRank(comm, out int rank), "MPI_Comm_rank");
            Check(MpiNative.CommSize(comm, out int size), "MPI_Comm_size");
            s_world = new MpiWorld(comm, rank, size);
            return s_world;
        }
    }

    /// <summary>Sums <paramref name="values"/> over every rank, in place.</summary>
    /// <param name="values">This rank's values; on return, the sum of every rank's.</param>
    /// <param name="what">What is being reduced, for a timeout's message.</param>
    public void AllReduceSum(Span<float> values, string what)
    {
        Interlocked.Add(ref _bytesAllReduced, (long)values.Length * sizeof(float));
        fixed (float* p = values)
        {
            Check(MpiNative.Iallreduce(MpiNative.InPlace, p, values.Length, MpiNative.Handles.Float, MpiNative.Handles.Sum, _comm, out nint request), "MPI_Iallreduce");
            Wait(ref request, what);
        }
    }

    /// <summary>Sums <paramref name="values"/> over every rank, in place.</summary>
    /// <param name="values">This rank's values; on return, the sum of every rank's.</param>
    /// <param name="what">What is being reduced, for a timeout's message.</param>
    public void AllReduceSum(Span<double> values, string what) => AllReduce(values, MpiNative.Handles.Double, MpiNative.Handles.Sum, what);

    /// <summary>The largest of every rank's values, element by element, in place.</summary>
    /// <param name="values">This rank's values; on return, the maxima.</param>
    /// <param name="what">What is being reduced, for a timeout's message.</param>
    public void AllReduceMax(Span<long> values, string what) => AllReduce(values, MpiNative.Handles.Int64, MpiNative.Handles.Max, what);

    /// <summary>The smallest of every rank's values, element by element, in place.</summary>
    /// <param name="values">This rank's values; on return, the minima.</param>
    /// <param name="what">What is being reduced, for a timeout's message.</param>
    public void AllReduceMin(Span<long> values, string what) => AllReduce(values, MpiNative.Handles.Int64, MpiNative.Handles.Min, what);

    /// <summary>Copies rank <paramref name="root"/>'s <paramref name="values"/> to every rank.</summary>
    /// <param name="values">The root's values to send; the others' to overwrite.</param>
    /// <param name="root">The sending rank.</param>
    /// <param name="what">What is being sent, for a timeout's message.</param>
    public void Broadcast(Span<float> values, int root, string what)
    {
        Interlocked.Add(ref _bytesBroadcast, (long)values.Length * sizeof(float));
        fixed (float* p = values)
        {
            Check(MpiNative.Ibcast(p, values.Length, MpiNative.Handles.Float, root, _comm, out nint request), "MPI_Ibcast");
            Wait(ref request, what);
        }
    }

    /// <summary>Gathers every rank's <paramref name="mine"/> into <paramref name="all"/>, rank by rank.</summary>
    /// <param name="mine">This rank's values.</param>
    /// <param name="all"><see cref="Size"/> times as many: rank r's values at r * mine.Length.</param>
    /// <param name="what">What is being gathered, for a timeout's message.</param>
    /// <exception cref="ArgumentException"><paramref name="all"/> has the wrong length.</exception>
    public void AllGather(ReadOnlySpan<long> mine, Span<long> all, string what)
    {
        if (all.Length != mine.Length * Size)
            throw new ArgumentException($"All-gathering {mine.Length} values from {Size} ranks needs {mine.Length * Size} slots, not {all.Length}.", nameof(all));
        fixed (long* send = mine)
        fixed (long* receive = all)
        {
            Check(MpiNative.Iallgather(send, mine.Length, MpiNative.Handles.Int64, receive, mine.Length, MpiNative.Handles.Int64, _comm, out nint request), "MPI_Iallgather");
            Wait(ref request, what);
        }
    }

    /// <summary>Gathers every rank's floats into <paramref name="all"/>, rank by rank (ZeRO's parameter all-gather).</summary>
    /// <param name="mine">This rank's values.</param>
    /// <param name="all"><see cref="Size"/> times as many.</param>
    /// <param name="what">What is being gathered, for a timeout's message.</param>
    /// <exception cref="ArgumentException"><paramref name="all"/> has the wrong length.</exception>
    public void AllGather(ReadOnlySpan<float> mine, Span<float> all, string what)
    {
        if (all.Length != mine.Length * Size)
            throw new ArgumentException($"All-gathering {mine.Length} values from {Size} ranks needs {mine.Length * Size} slots, not {all.Length}.", nameof(all));
        fixed (float* send = mine)
        fixed (float* receive = all)
        {
            Check(MpiNative.Iallgather(send, mine.Length, MpiNative.Handles.Float, receive, mine.Length, MpiNative.Handles.Float, _comm, out nint request), "MPI_Iallgather");
            Wait(ref request, what);
        }
    }

    /// <summary>
    /// Fills every rank's part of <paramref name="values"/> from the rank that owns it, in place
    /// (ZeRO-1's parameter all-gather): rank r owns <paramref name="shards"/>[r]'s range and sends it.
    /// </summary>
    /// <param name="values">The whole buffer; this rank's range is sent, the others' are overwritten.</param>
    /// <param name="shards">Each rank's range of <paramref name="values"/>.</param>
    /// <param name="what">What is being gathered, for a timeout's message.</param>
    internal void AllGatherInPlace(Span<float> values, ShardLayout shards, string what)
    {
        fixed (float* receive = values)
        fixed (int* counts = shards.Counts)
        fixed (int* displacements = shards.Offsets)
        {
            Check(MpiNative.Iallgatherv(MpiNative.InPlace, 0, MpiNative.Handles.Float, receive, counts, displacements, MpiNative.Handles.Float, _comm, out nint request), "MPI_Iallgatherv");
            Wait(ref request, what);
        }
    }

    /// <summary>Gathers every rank's shard of a buffer into <paramref name="whole"/> on rank <paramref name="root"/> (a ZeRO-1 checkpoint).</summary>
    /// <param name="mine">This rank's shard.</param>
    /// <param name="whole">On the root, the whole buffer; ignored elsewhere.</param>
    /// <param name="shards">Each rank's range of the whole buffer.</param>
    /// <param name="root">The rank that receives.</param>
    /// <param name="what">What is being gathered, for a timeout's message.</param>
    internal void Gather(ReadOnlySpan<float> mine, Span<float> whole, ShardLayout shards, int root, string what)
    {
        fixed (float* send = mine)
        fixed (float* receive = whole)
        fixed (int* counts = shards.Counts)
        fixed (int* displacements = shards.Offsets)
        {
            Check(MpiNative.Igatherv(send, mine.Length, MpiNative.Handles.Float, receive, counts, displacements, MpiNative.Handles.Float, root, _comm, out nint request), "MPI_Igatherv");
            Wait(ref request, what);
        }
    }

    /// <summary>
    /// Starts summing <paramref name="count"/> floats at <paramref name="values"/> over every rank,
    /// in place, and returns at once (<c>MPI_Iallreduce</c>): the memory must stay pinned and
    /// untouched until <see cref="Wait"/> completes the returned request.
    /// </summary>
    internal nint StartAllReduceSum(float* values, int count)
    {
        Interlocked.Add(ref _bytesAllReduced, (long)count * sizeof(float));
        Check(MpiNative.Iallreduce(MpiNative.InPlace, values, count, MpiNative.Handles.Float, MpiNative.Handles.Sum, _comm, out nint request), "MPI_Iallreduce");
        return request;
    }

    /// <summary>
    /// Lets Open MPI move a started collective along without waiting for it (it progresses
    /// transfers only inside MPI calls); true once the request is complete.
    /// </summary>
    internal bool Progress(ref nint request)
    {
        Check(MpiNative.Test(ref request, out int done, 0), "MPI_Test");
        return done != 0;
    }

    /// <summary>Waits until every rank has reached the barrier.</summary>
    /// <param name="what">Which point, for a timeout's message.</param>
    public void Barrier(string what)
    {
        Check(MpiNative.Ibarrier(_comm, out nint request), "MPI_Ibarrier");
        Wait(ref request, what);
    }

    /// <summary>
    /// Ends the whole job: <c>mpirun</c> kills every rank and reports this one's. Training calls it
    /// after a rank fails, so that its peers stop at once instead of waiting for its collectives.
    /// </summary>
    /// <param name="errorCode">The exit code the job reports.</param>
    public void Abort(int errorCode) => MpiNative.Abort(_comm, errorCode);

    private void AllReduce<T>(Span<T> values, nint type, nint op, string what) where T : unmanaged
    {
        fixed (T* p = values)
        {
            Check(MpiNative.Iallreduce(MpiNative.InPlace, p, values.Length, type, op, _comm, out nint request), "MPI_Iallreduce");
            Wait(ref request, what);
        }
    }

    /// <summary>
    /// Polls a request to completion. Open MPI progresses shared-memory and TCP transfers inside
    /// MPI_Test, so the first polls spin; after that the thread yields its core, which matters when
    /// ranks oversubscribe the machine.
    /// </summary>
    internal void Wait(ref nint request, string what)
    {
        long start = Stopwatch.GetTimestamp();
        long deadline = start + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
        for (int polls = 0; ; polls++)
        {
            Check(MpiNative.Test(ref request, out int done, 0), "MPI_Test");
            if (done != 0)
            {
                Interlocked.Add(ref _waitTicks, Stopwatch.GetTimestamp() - start);
                return;
            }
            if (polls > 64)
                Thread.Yield();
            if (Stopwatch.GetTimestamp() > deadline)
                throw new DistributedTimeoutException(
                    $"Rank {Rank} of {Size}: {what} waited {Timeout.TotalSeconds:0.#} s for the other ranks; a peer rank is dead or hung (raise TrainerOptions.DistributedTimeout if a step can take that long).");
        }
    }

    private static void Check(int code, string call)
    {
        if (code != 0)
            throw new InvalidOperationException($"{call} failed with MPI error code {code}.");
    }
}
