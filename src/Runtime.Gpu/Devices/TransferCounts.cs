namespace Dsl;

/// <summary>
/// What a device has moved between the host and its memory: bytes and transfers each way. Take a
/// snapshot before some work and subtract it from one after (<c>after - before</c>) to measure the work.
/// </summary>
/// <param name="BytesToDevice">Bytes written from the host into device memory.</param>
/// <param name="BytesToHost">Bytes read from device memory into the host.</param>
/// <param name="TransfersToDevice">How many host-to-device writes there were.</param>
/// <param name="TransfersToHost">How many device-to-host reads there were.</param>
public readonly record struct TransferCounts(long BytesToDevice, long BytesToHost, long TransfersToDevice, long TransfersToHost)
{
    /// <summary>The traffic between two snapshots.</summary>
    /// <param name="after">The later snapshot.</param>
    /// <param name="before">The earlier snapshot.</param>
    public static TransferCounts operator -(TransferCounts after, TransferCounts before) => new(
        after.BytesToDevice - before.BytesToDevice, after.BytesToHost - before.BytesToHost,
        after.TransfersToDevice - before.TransfersToDevice, after.TransfersToHost - before.TransfersToHost);

    /// <summary>e.g. <c>up 4096 B in 2 transfers, down 64 B in 1</c>.</summary>
    public override string ToString() =>
        $"up {BytesToDevice} B in {TransfersToDevice} transfers, down {BytesToHost} B in {TransfersToHost}";
}
