using System.Threading;

namespace Dsl;

// The device's own accounting: the bytes it moves to and from the host (what residency saves)
// and the buffers handed out and not yet disposed (what a disposal must bring back to zero).
public sealed partial class OpenClDevice
{
    private long _bytesToDevice, _bytesToHost, _transfersToDevice, _transfersToHost;
    private int _liveBuffers;

    /// <summary>Every host-device transfer of this device's buffers so far; subtract two snapshots to measure the work between them.</summary>
    public TransferCounts Transfers => new(
        Interlocked.Read(ref _bytesToDevice), Interlocked.Read(ref _bytesToHost),
        Interlocked.Read(ref _transfersToDevice), Interlocked.Read(ref _transfersToHost));

    /// <summary>The buffers allocated on this device and not yet disposed (a program's disposal brings it back to where it was).</summary>
    public int LiveBuffers => Volatile.Read(ref _liveBuffers);

    /// <summary>Counts one blocking transfer of <paramref name="bytes"/> bytes.</summary>
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
