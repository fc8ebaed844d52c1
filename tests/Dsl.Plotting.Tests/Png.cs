using System;
using System.Buffers.Binary;
using System.Text;
using Xunit;

namespace Dsl.Plotting.Tests;

/// <summary>Reads what a PNG's first bytes promise: the signature and the IHDR chunk's size.</summary>
internal static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Asserts <paramref name="bytes"/> start as a PNG does and returns the size its header states.</summary>
    public static (int Width, int Height) Size(byte[] bytes)
    {
        Assert.True(bytes.Length > 33, $"{bytes.Length} bytes is too short for a PNG.");
        Assert.Equal(Signature, bytes[..8]);
        // The first chunk must be IHDR, 13 bytes long: width, height (big-endian), then depth etc.
        Assert.Equal(13u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8)));
        Assert.Equal("IHDR", Encoding.ASCII.GetString(bytes, 12, 4));
        // A truncated file has no IEND; the last chunk of a whole one is IEND (length 0, type, CRC).
        Assert.Equal("IEND", Encoding.ASCII.GetString(bytes, bytes.Length - 8, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
