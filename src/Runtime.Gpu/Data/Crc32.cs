using System;
using System.Buffers.Binary;

namespace Dsl.Data;

/// <summary>
/// CRC-32 as gzip computes it (RFC 1952 section 8: the IEEE 802.3 polynomial, reflected,
/// initial value and final XOR 0xFFFFFFFF). The framework has no public CRC-32 and its
/// <c>GZipStream</c> reports a mismatch only as an "unsupported compression method".
/// </summary>
/// <remarks>
/// Slicing-by-8 (Intel's table method): eight tables let the loop consume eight bytes per step
/// with independent lookups, several times faster than a byte at a time; every data file read
/// through gzip passes through here once.
/// </remarks>
internal static class Crc32
{
    private const uint Polynomial = 0xEDB88320u;

    private static readonly uint[][] Tables = BuildTables();

    /// <summary>Continues <paramref name="crc"/> (0 to start) over <paramref name="bytes"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> bytes)
    {
        uint[] t0 = Tables[0], t1 = Tables[1], t2 = Tables[2], t3 = Tables[3], t4 = Tables[4], t5 = Tables[5], t6 = Tables[6], t7 = Tables[7];
        uint c = ~crc;
        while (bytes.Length >= 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(bytes) ^ c;
            uint high = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
            c = t7[low & 0xFF] ^ t6[(low >> 8) & 0xFF] ^ t5[(low >> 16) & 0xFF] ^ t4[low >> 24]
              ^ t3[high & 0xFF] ^ t2[(high >> 8) & 0xFF] ^ t1[(high >> 16) & 0xFF] ^ t0[high >> 24];
            bytes = bytes[8..];
        }

        foreach (byte b in bytes)
            c = t0[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    // Tables[0] is the byte-at-a-time table; Tables[k][n] is the CRC of byte n followed by k zero bytes.
    private static uint[][] BuildTables()
    {
        var tables = new uint[8][];
        for (int k = 0; k < 8; k++)
            tables[k] = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++)
                c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            tables[0][n] = c;
        }

        for (int k = 1; k < 8; k++)
        {
            for (int n = 0; n < 256; n++)
                tables[k][n] = tables[0][tables[k - 1][n] & 0xFF] ^ (tables[k - 1][n] >> 8);
        }

        return tables;
    }
}
