using System.Threading;

namespace Dsl;

// The device's own accounting, as OpenClDevice's: the bytes it moves to and from the host and
// the buffers handed out and not yet disposed.
public sealed partial class IlgpuDevice
{
    private long _bytesToDevice, _bytesToHost, _transfersToDevice, _transfersToHost;
    private int _liveBuffers;

    /// <summary>Every host-device transfer of this device's buffers so far; subtract two snapshots to measure the work between them.</summary>
    public TransferCounts Transfers => new(
        Interlocked.Read(ref _bytesToDevice), Interlocked.Read(ref _bytesToHost),
        Interlocked.Read(ref _transfersToDevice), Interlocked.Read(ref _transfersToHost));

    /// <summary>The buffers allocated on this device and not yet disposed.</summary>
    public int LiveBuffers => Volatile.Read(ref _liveBuffers);

    /// <summary>Counts one transfer of <paramref name="bytes"/> bytes.</summary>
    internal void CountTransfer(long bytes, bool toDevice)
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

    /// <summary>Counts a buffer handed out (+1) or disposed (-1).</summary>
    internal void CountLiveBuffer(int change) => Interlocked.Add(ref _liveBuffers, change);
}
