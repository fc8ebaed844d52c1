using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using Dsl.Data;
using Xunit;

namespace Dsl.Tests.Data;

public sealed class Crc32Tests
{
    [Fact]
    public void MatchesTheStandardCheckValue()
    {
        // The check value of CRC-32/ISO-HDLC, the variant gzip uses.
        Assert.Equal(0xCBF43926u, Crc32.Append(0, "123456789"u8));
        Assert.Equal(0u, Crc32.Append(0, []));
    }

    [Fact]
    public void MatchesZlibForEveryLengthAndSplit()
    {
        // GZipStream's trailer holds zlib's CRC: every length from 1 to 70 covers each remainder of the 8-byte steps.
        var random = new Random(5);
        for (int length = 1; length <= 70; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            using var memory = new MemoryStream();
            using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
                gzip.Write(data);
            uint zlib = BinaryPrimitives.ReadUInt32LittleEndian(memory.ToArray().AsSpan(^8));
            Assert.Equal(zlib, Crc32.Append(0, data));
            int split = random.Next(length + 1);
            Assert.Equal(zlib, Crc32.Append(Crc32.Append(0, data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }
}
