using System.Threading;

namespace Dsl;

/// <summary>
/// A device's own accounting, kept by its buffers: the bytes moved to and from the host (what
/// residency saves) and the buffers handed out and not yet disposed (what a program's disposal
/// must bring back to where it was). Thread-safe.
/// </summary>
internal sealed class TransferLedger
{
    private long _bytesToDevice, _bytesToHost, _transfersToDevice, _transfersToHost;
    private long _synchronizations;
    private int _liveBuffers;

    /// <summary>Every transfer counted so far.</summary>
    public TransferCounts Transfers => new(
        Interlocked.Read(ref _bytesToDevice), Interlocked.Read(ref _bytesToHost),
        Interlocked.Read(ref _transfersToDevice), Interlocked.Read(ref _transfersToHost));

    /// <summary>The buffers handed out and not yet disposed.</summary>
    public int LiveBuffers => Volatile.Read(ref _liveBuffers);

    /// <summary>Counts one transfer of <paramref name="bytes"/> bytes.</summary>
    public void CountTransfer(long bytes, bool toDevice)
    {
        if (toDevice)
        {
            Interlocked.Add(ref _bytesToDevice, bytes);
            Interlocked.Increment(ref _transfersToDevice);
        }
        else
        {
            Interlocked.Add(ref _bytesToHost, bytes);
            Interlocked.Increment(ref _transfersToHost);
        }
    }

    /// <summary>The host's waits for the device counted so far (devices that count them: ILGPU's).</summary>
    public long Synchronizations => Interlocked.Read(ref _synchronizations);

    /// <summary>Counts one wait of the host for the device's queued work.</summary>
    public void CountSynchronization() => Interlocked.Increment(ref _synchronizations);

    /// <summary>Counts a buffer handed out (+1) or disposed (-1).</summary>
    public void CountLiveBuffer(int change) => Interlocked.Add(ref _liveBuffers, change);
}
