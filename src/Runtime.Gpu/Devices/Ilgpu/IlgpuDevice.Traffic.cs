namespace Dsl;

// The device's accounting (TransferLedger), kept by its buffers.
public sealed partial class IlgpuDevice
{
    /// <summary>Every host-device transfer of this device's buffers so far; subtract two snapshots to measure the work between them.</summary>
    public TransferCounts Transfers => Ledger.Transfers;

    /// <summary>The buffers allocated on this device and not yet disposed (a program's disposal brings it back to where it was).</summary>
    public int LiveBuffers => Ledger.LiveBuffers;

    /// <summary>
    /// The host waits for the device so far: a buffer's read (it waits for the kernels before it) and
    /// <see cref="Synchronize"/>, on the device's stream or a program's. A training step should wait
    /// once, to read its loss; subtract two snapshots to count a step's.
    /// </summary>
    public long Synchronizations => Ledger.Synchronizations;

    /// <summary>What this device's buffers count (shared with its programs' views).</summary>
    internal TransferLedger Ledger { get; }
}
