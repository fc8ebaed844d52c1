namespace Dsl;

/// <summary>
/// A device's copy of some training state whose host side a <see cref="HostDeviceState"/> tracks.
/// A device program calls <see cref="MakeCurrent"/> before its kernels read the copy and
/// <see cref="MarkWritten"/> after they wrote it; the state moves values only when a side is behind.
/// </summary>
public abstract class DeviceCopy
{
    /// <summary>Ties the copy to the state it mirrors; it holds no version yet, so its first use uploads.</summary>
    /// <param name="state">The state's versioning.</param>
    protected DeviceCopy(HostDeviceState state)
    {
        System.ArgumentNullException.ThrowIfNull(state);
        State = state;
    }

    /// <summary>The versioning of the state this copy mirrors.</summary>
    public HostDeviceState State { get; }

    /// <summary>The state's version the device's buffers hold (-1 before the first upload).</summary>
    internal long HeldVersion { get; set; } = -1;

    /// <summary>Before kernels read the copy: uploads the host's values if they (or another copy's) are newer.</summary>
    public void MakeCurrent() => State.MakeCurrent(this);

    /// <summary>After kernels wrote the copy (made current before): the host and every other copy are stale until they sync.</summary>
    public void MarkWritten() => State.DeviceWrote(this);

    /// <summary>Before the device's buffers are released: downloads them if they hold the newest values, so nothing trained is lost.</summary>
    public void Release() => State.Release(this);

    /// <summary>Copies the host's values into the device's buffers.</summary>
    protected internal abstract void Upload();

    /// <summary>Copies the device's buffers into the host's values.</summary>
    protected internal abstract void Download();

    /// <summary>Whether <see cref="Download"/> can still run (false once the device is disposed).</summary>
    protected internal abstract bool CanDownload { get; }
}
