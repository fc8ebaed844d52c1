using System;
using System.Text;
using Dsl.Logging.TensorBoard;
using Xunit;

namespace Dsl.Tests.Logging;

public sealed class Crc32CTests
{
    // RFC 3720 (iSCSI) appendix B.4 and the usual check value; the masked values were computed
    // with an independent bitwise implementation in Python.
    public static TheoryData<byte[], uint, uint> Vectors => new()
    {
        { Encoding.ASCII.GetBytes("123456789"), 0xE3069283, 0xC78AB0E5 },
        { new byte[32], 0x8A9136AA, 0x0FD7FFFA },
        { Filled(32, 0xFF), 0x62A8AB43, 0xF909B029 },
        { Ascending(32), 0x46DD794E, 0x951F7892 },
        { [], 0x00000000, 0xA282EAD8 },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void MatchesKnownVectors(byte[] data, uint crc, uint masked)
    {
        Assert.Equal(crc, Crc32C.Compute(data));
        Assert.Equal(crc, Crc32C.ComputeSoftware(data));
        Assert.Equal(masked, Crc32C.Mask(crc));
        Assert.Equal(masked, Crc32C.ComputeMasked(data));
    }

    [Fact]
    public void MaskRotatesRightByFifteenAndAddsTheConstantModulo2To32()
    {
        Assert.Equal(0xA282EAD8u + 0x00020000u, Crc32C.Mask(0x00000001)); // bit 0 rotates to bit 17
        Assert.Equal(0xA282EAD8u + 0x00000001u, Crc32C.Mask(0x00008000)); // bit 15 rotates to bit 0
        Assert.Equal(0xA282EAD7u, Crc32C.Mask(0xFFFFFFFF)); // all ones + constant wraps around
    }

    [Fact]
    public void InstructionPathAgreesWithTheTableAtEveryLengthAndOffset()
    {
        var random = new Random(7);
        var data = new byte[300];
        random.NextBytes(data);
        for (int start = 0; start < 9; start++)
        {
            for (int length = 0; length + start <= data.Length; length += 1 + (length / 16))
            {
                ReadOnlySpan<byte> slice = data.AsSpan(start, length);
                Assert.Equal(ReferenceCrc32C.Compute(slice), Crc32C.ComputeSoftware(slice));
                Assert.Equal(Crc32C.ComputeSoftware(slice), Crc32C.Compute(slice));
            }
        }
    }

    private static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }

    private static byte[] Ascending(int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
            bytes[i] = (byte)i;
        return bytes;
    }
}
