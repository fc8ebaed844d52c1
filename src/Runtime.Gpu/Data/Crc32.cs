using System;

namespace Dsl.Data;

/// <summary>
/// CRC-32 as gzip computes it (RFC 1952 section 8: the IEEE 802.3 polynomial, reflected,
/// initial value and final XOR 0xFFFFFFFF). The framework has no public CRC-32 and its
/// <c>GZipStream</c> reports a mismatch only as an "unsupported compression method".
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>Continues <paramref name="crc"/> (0 to start) over <paramref name="bytes"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> bytes)
    {
        uint c = ~crc;
        foreach (byte b in bytes)
            c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }
}
