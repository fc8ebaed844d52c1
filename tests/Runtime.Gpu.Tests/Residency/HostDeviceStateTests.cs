using System;
using Xunit;

namespace Dsl.Tests.Residency;

/// <summary>
/// The residency bookkeeping without a device: a fake device copy over a second array counts its
/// uploads and downloads, so each rule (upload only when behind, download once when newer, a host
/// write after a device write keeps the device's values first, several copies) is checked on any machine.
/// </summary>
public sealed class HostDeviceStateTests
{
    [Fact]
    public void ACopyUploadsOnceUntilTheHostWritesAgain()
    {
        var state = new HostDeviceState();
        var host = new float[] { 1, 2 };
        var copy = new FakeCopy(state, host);
        copy.MakeCurrent();
        copy.MakeCurrent();
        Assert.Equal((1, 0), (copy.Uploads, copy.Downloads));
        Assert.Equal(host, copy.Device);

        state.HostWrites();
        host[0] = 5;
        copy.MakeCurrent();
        Assert.Equal((2, 0), (copy.Uploads, copy.Downloads));
        Assert.Equal(5, copy.Device[0]);
    }

    [Fact]
    public void AHostReadDownloadsOnceAfterADeviceWrite()
    {
        var state = new HostDeviceState();
        var host = new float[] { 1, 2 };
        var copy = new FakeCopy(state, host);
        copy.MakeCurrent();
        copy.Device[1] = 7;
        copy.MarkWritten();
        Assert.True(state.DeviceIsNewer);

        state.SyncHost();
        state.SyncHost();
        Assert.Equal((1, 1), (copy.Uploads, copy.Downloads));
        Assert.Equal(7, host[1]);
        Assert.False(state.DeviceIsNewer);

        // The copy still holds the newest values: its next use moves nothing.
        copy.MakeCurrent();
        Assert.Equal((1, 1), (copy.Uploads, copy.Downloads));
    }

    [Fact]
    public void AHostWriteAfterADeviceWriteStartsFromTheDevicesValues()
    {
        var state = new HostDeviceState();
        var host = new float[] { 1, 2 };
        var copy = new FakeCopy(state, host);
        copy.MakeCurrent();
        copy.Device[0] = 9;
        copy.MarkWritten();

        state.HostWrites(); // a write of one element: the other must be the device's
        host[1] = 3;
        copy.MakeCurrent();
        Assert.Equal([9f, 3f], copy.Device);
        Assert.Equal((2, 1), (copy.Uploads, copy.Downloads));
    }

    [Fact]
    public void TwoCopiesOfOneStateSeeEachOthersWrites()
    {
        var state = new HostDeviceState();
        var host = new float[] { 1 };
        FakeCopy first = new(state, host), second = new(state, host);
        first.MakeCurrent();
        second.MakeCurrent();
        first.Device[0] = 4;
        first.MarkWritten();

        second.MakeCurrent();
        Assert.Equal(4, second.Device[0]);
        Assert.Equal(1, first.Downloads);
        second.Device[0] = 6;
        second.MarkWritten();
        first.MakeCurrent();
        Assert.Equal(6, first.Device[0]);
    }

    [Fact]
    public void ReleasingTheNewestCopyGivesTheHostItsValuesUnlessItsDeviceIsGone()
    {
        var state = new HostDeviceState();
        var host = new float[] { 1 };
        var copy = new FakeCopy(state, host);
        copy.MakeCurrent();
        copy.Device[0] = 8;
        copy.MarkWritten();
        copy.Release();
        Assert.Equal(8, host[0]);

        var gone = new FakeCopy(state, host) { Alive = false };
        gone.MakeCurrent();
        gone.Device[0] = 3;
        gone.MarkWritten();
        gone.Release();
        Assert.False(state.DeviceIsNewer);
        Assert.Equal(8, host[0]);
    }

    [Fact]
    public void TheParameterStoreReadsWithoutMarkingAWriteAndWritesThroughEveryWritableView()
    {
        var store = new ParameterStore([new ParameterSpec("w", [2, 3], 3) { Init = ParameterInit.Ones }], seed: 1);
        var copy = new FakeCopy(store.Residency, store.HostArray);
        copy.MakeCurrent();
        long version = store.Residency.Version;

        _ = store.Values;
        _ = store.ToTensor("w");
        store.CopyTo(new float[6]);
        Assert.Equal(version, store.Residency.Version);

        _ = store["w"];
        Assert.Equal(version + 1, store.Residency.Version);
        _ = store.Buffer;
        store.CopyFrom(new float[6]);
        Assert.Equal(version + 3, store.Residency.Version);

        // A device write is what the host reads next.
        copy.MakeCurrent();
        copy.Device[4] = 2.5f;
        copy.MarkWritten();
        Assert.Equal(2.5f, store.Values[4]);
    }

    /// <summary>A device copy whose "device" is a second array.</summary>
    private sealed class FakeCopy(HostDeviceState state, float[] host) : DeviceCopy(state)
    {
        public float[] Device { get; } = new float[host.Length];

        public int Uploads { get; private set; }

        public int Downloads { get; private set; }

        public bool Alive { get; init; } = true;

        protected internal override bool CanDownload => Alive;

        protected internal override void Upload()
        {
            Uploads++;
            host.CopyTo(Device, 0);
        }

        protected internal override void Download()
        {
            Downloads++;
            Device.CopyTo(host, 0);
        }
    }
}
