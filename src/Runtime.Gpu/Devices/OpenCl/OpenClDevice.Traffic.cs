namespace Dsl;

// The device's accounting (TransferLedger), kept by its buffers.
public sealed partial class OpenClDevice
{
    /// <summary>Every host-device transfer of this device's buffers so far; subtract two snapshots to measure the work between them.</summary>
    public TransferCounts Transfers => Ledger.Transfers;

    /// <summary>The buffers allocated on this device and not yet disposed (a program's disposal brings it back to where it was).</summary>
    public int LiveBuffers => Ledger.LiveBuffers;

    /// <summary>What this device's buffers count.</summary>
    internal TransferLedger Ledger { get; } = new();
}
