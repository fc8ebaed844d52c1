using System;
using System.Linq;
using Dsl.Testing;
using Xunit;

namespace Dsl.Tests.OpenCl;

[Collection(OpenClCollection.Name)]
public sealed class OpenClBufferTests
{
    [OpenClFact]
    public void FloatsAndIntsRoundTripAtOffsets()
    {
        using var device = Device.OpenCL();
        using var floats = device.AllocateFloats(10, "floats");
        using var ints = device.AllocateInts(10, "ints");

        floats.Write(new[] { 1.5f, -2.25f, float.MaxValue }, offset: 4);
        ints.Write(new[] { 7, -8, int.MinValue }, offset: 7);

        var f = new float[10];
        var n = new int[10];
        floats.Read(f);
        ints.Read(n);
        Assert.Equal(new[] { 0f, 0, 0, 0, 1.5f, -2.25f, float.MaxValue, 0, 0, 0 }, f);
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 0, 0, 7, -8, int.MinValue }, n);

        Span<float> part = stackalloc float[2];
        floats.Read(part, offset: 5);
        Assert.Equal(new[] { -2.25f, float.MaxValue }, part.ToArray());
    }

    [OpenClFact]
    public void FillAndCopyHonourOffsets()
    {
        using var device = Device.OpenCL();
        using var a = device.AllocateFloats(8, "a");
        using var b = device.AllocateFloats(8, "b");
        a.Write(Enumerable.Range(1, 8).Select(i => (float)i).ToArray());
        a.Fill(-1f, offset: 2, count: 3);
        a.CopyTo(b, sourceOffset: 1, destinationOffset: 4, count: 4);
        a.CopyTo(a, sourceOffset: 6, destinationOffset: 0, count: 2); // same buffer, disjoint ranges

        var x = new float[8];
        var y = new float[8];
        a.Read(x);
        b.Read(y);
        Assert.Equal(new[] { 7f, 8, -1, -1, -1, 6, 7, 8 }, x);
        Assert.Equal(new[] { 0f, 0, 0, 0, 2, -1, -1, -1 }, y);
    }

    [OpenClFact]
    public void RangesOutsideTheBufferNameIt()
    {
        using var device = Device.OpenCL();
        using var a = device.AllocateFloats(4, "_slot3 of Test");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => a.Write(new float[3], offset: 2));
        Assert.Contains("Elements [2, 5) do not fit in buffer '_slot3 of Test' of 4 elements", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Read(new float[1], offset: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Fill(0f, 3, 2));
        var overlap = Assert.Throws<ArgumentException>(() => a.CopyTo(a, 0, 1, 2));
        Assert.Contains("overlaps", overlap.Message);
    }

    [OpenClFact]
    public void DisposedBuffersAreReusedZeroed()
    {
        using var device = Device.OpenCL();
        var first = device.AllocateFloats(1000, "first");
        first.Write(Enumerable.Repeat(3f, 1000).ToArray());
        int created = device.BuffersCreated;
        first.Dispose();
        first.Dispose(); // twice is harmless

        using var second = device.AllocateFloats(1000, "second");
        Assert.Equal(created, device.BuffersCreated);
        Assert.Equal(1, device.BuffersReused);
        var values = new float[1000];
        second.Read(values);
        Assert.All(values, v => Assert.Equal(0f, v));

        // Another size is a new buffer; ints and floats of one size share the pool.
        using var other = device.AllocateFloats(999, "other");
        Assert.Equal(created + 1, device.BuffersCreated);
        other.Dispose();
        using var ints = device.AllocateInts(999, "ints");
        Assert.Equal(created + 1, device.BuffersCreated);
        Assert.Equal(2, device.BuffersReused);
        Assert.Throws<ObjectDisposedException>(() => first.Read(values));
    }

    [OpenClFact]
    public void EmptyBuffersAreAllowed()
    {
        using var device = Device.OpenCL();
        using var empty = device.AllocateFloats(0, "empty");
        empty.Write(ReadOnlySpan<float>.Empty);
        empty.Read(Span<float>.Empty);
        Assert.Equal(0, empty.Count);
    }

    [OpenClFact]
    public void AnAllocationAboveTheLimitNamesTheBufferTheSizeAndTheLimit()
    {
        // The limit is the test's, not the machine's: PoCL reports a quarter of the host's memory,
        // which on a large machine is more than an int count of floats can ask for.
        const long limit = 1 << 20;
        using var device = Device.OpenCL(null, null, new OpenClDeviceOptions { MaxAllocationSize = limit });
        Assert.True(device.IsAllocationCapped);
        Assert.Equal(limit, device.MaxAllocationSize);

        const int tooMany = (int)(limit / 4) + 1;
        var error = Assert.Throws<OpenClException>(() => device.AllocateFloats(tooMany, "_gradients of Big.OpenClProgram"));
        Assert.Equal("clCreateBuffer", error.Call);
        Assert.Equal("CL_INVALID_BUFFER_SIZE", error.ErrorName);
        Assert.Equal(-61, error.ErrorCode);
        Assert.Contains("'_gradients of Big.OpenClProgram'", error.Message);
        Assert.Contains($"{tooMany * 4L} bytes", error.Message);
        Assert.Contains($"at most {limit} bytes", error.Message);
        Assert.Contains("OpenClDeviceOptions.MaxAllocationSize", error.Message);

        using var fits = device.AllocateFloats((int)(limit / 4), "fits");
        Assert.Equal((int)(limit / 4), fits.Count);
    }

    [OpenClFact]
    public void WithoutACapTheLimitIsTheDevicesAndItsMessageNamesTheDeviceQuery()
    {
        using var device = Device.OpenCL();
        Assert.False(device.IsAllocationCapped);
        using var capped = Device.OpenCL(null, null, new OpenClDeviceOptions { MaxAllocationSize = long.MaxValue });
        Assert.False(capped.IsAllocationCapped);
        Assert.Equal(device.MaxAllocationSize, capped.MaxAllocationSize);

        // Only a device whose limit an int count of floats can exceed can show the device's own message.
        if (device.MaxAllocationSize / 4 + 1 <= int.MaxValue)
        {
            int tooMany = (int)(device.MaxAllocationSize / 4) + 1;
            var error = Assert.Throws<OpenClException>(() => device.AllocateFloats(tooMany, "big"));
            Assert.Contains($"at most {device.MaxAllocationSize} bytes", error.Message);
            Assert.Contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE", error.Message);
        }
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void ANonPositiveCapIsRefusedBeforeAnyDeviceIsOpened(long cap)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Device.OpenCL(null, null, new OpenClDeviceOptions { MaxAllocationSize = cap }));
        Assert.Contains("MaxAllocationSize must be positive", error.Message);
    }
}
