namespace Dsl;

/// <summary>
/// Which copy of some training state holds its newest values: the host's arrays (a model's
/// <see cref="ParameterStore"/>, an <see cref="OptimizerState"/>'s buffers) or one of their device
/// copies. Device programs keep the state resident and move it only when the other side needs it:
/// a host read downloads once if a device copy is newer (<see cref="SyncHost"/>), a host write marks
/// the host newer (<see cref="HostWrites"/>) so each device copy uploads before its next use.
/// </summary>
/// <remarks>
/// The state has a version, bumped by every write on either side; each device copy remembers the
/// version it holds. Several programs (on one device or several) may share the state: each copy
/// compares its version with the state's, and at most one copy, the last writer, is newer than
/// the host. Not thread-safe, like the programs that use it (one call at a time).
/// </remarks>
public sealed class HostDeviceState
{
    private DeviceCopy? _newerOnDevice;

    /// <summary>Counts the writes so far, on the host or on a device; a copy holding this version is current.</summary>
    public long Version { get; private set; }

    /// <summary>Whether a device copy holds values the host has not seen yet.</summary>
    public bool DeviceIsNewer => _newerOnDevice is not null;

    /// <summary>Brings the host's arrays up to date before they are read: downloads once from the device copy that was written last, if any.</summary>
    public void SyncHost()
    {
        if (_newerOnDevice is not { } copy)
            return;
        copy.Download();
        _newerOnDevice = null;
    }

    /// <summary>
    /// Called before the host's arrays are written (or a writable view of them is handed out):
    /// brings them up to date, then makes every device copy stale, so each uploads before its next use.
    /// </summary>
    public void HostWrites()
    {
        SyncHost();
        Version++;
    }

    /// <summary>
    /// Called before the host's arrays are overwritten whole (<see cref="ParameterStore.CopyFrom"/>):
    /// what a device copy holds is about to be replaced, so it is not downloaded first.
    /// </summary>
    internal void HostOverwrites()
    {
        _newerOnDevice = null;
        Version++;
    }

    /// <summary>Makes <paramref name="copy"/> current: downloads from another copy that is newer, then uploads the host's values if the copy is behind.</summary>
    internal void MakeCurrent(DeviceCopy copy)
    {
        if (_newerOnDevice == copy)
            return;
        SyncHost();
        if (copy.HeldVersion == Version)
            return;
        copy.Upload();
        copy.HeldVersion = Version;
    }

    /// <summary>Records that a device wrote <paramref name="copy"/> (made current first): it is now the newest, the host and every other copy stale.</summary>
    internal void DeviceWrote(DeviceCopy copy)
    {
        Version++;
        copy.HeldVersion = Version;
        _newerOnDevice = copy;
    }

    /// <summary>
    /// Before <paramref name="copy"/>'s buffers are released: if it holds the newest values, the host
    /// takes them. A copy whose device is already gone cannot give them; the host keeps what it had.
    /// </summary>
    internal void Release(DeviceCopy copy)
    {
        if (_newerOnDevice != copy)
            return;
        if (copy.CanDownload)
            SyncHost();
        else
            _newerOnDevice = null;
    }
}
