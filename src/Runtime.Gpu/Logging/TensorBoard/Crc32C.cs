using System;
using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;

namespace Dsl.Logging.TensorBoard;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TensorFlow's record
/// files, and the "masking" TensorFlow applies to it.
/// </summary>
/// <remarks>
/// Uses the CPU's CRC32C instruction (SSE4.2 on x64, the CRC extension on Arm64) eight bytes at a
/// time, and a byte-wise table elsewhere; both give the same answer and the tests hold them to it.
/// </remarks>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78;
    private static readonly uint[] Table = CreateTable();

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The checksum ("123456789" gives 0xE3069283).</returns>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
            return ~UpdateSse42(~0u, data);
        if (ArmCrc32.Arm64.IsSupported)
            return ~UpdateArm(~0u, data);
        return ComputeSoftware(data);
    }

    /// <summary>The CRC-32C of <paramref name="data"/> by table lookup only, the reference for the instruction paths.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The checksum.</returns>
    public static uint ComputeSoftware(ReadOnlySpan<byte> data) => ~UpdateTable(~0u, data);

    /// <summary>
    /// TensorFlow's masked CRC: rotated right by 15 bits and offset, because a CRC over data that
    /// itself holds CRCs (a record file inside a record) is otherwise weak.
    /// </summary>
    /// <param name="crc">A CRC-32C.</param>
    /// <returns>The value stored in the file.</returns>
    public static uint Mask(uint crc) => unchecked(((crc >> 15) | (crc << 17)) + 0xA282EAD8);

    /// <summary>The masked CRC-32C of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The value stored in the file.</returns>
    public static uint ComputeMasked(ReadOnlySpan<byte> data) => Mask(Compute(data));

    private static uint UpdateTable(uint state, ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        foreach (byte b in data)
            state = table[(byte)(state ^ b)] ^ (state >> 8);
        return state;
    }

    private static uint UpdateSse42(uint state, ReadOnlySpan<byte> data)
    {
        ulong wide = state;
        while (data.Length >= 8)
        {
            wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        state = (uint)wide;
        foreach (byte b in data)
            state = Sse42.Crc32(state, b);
        return state;
    }

    private static uint UpdateArm(uint state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            state = ArmCrc32.Arm64.ComputeCrc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (byte b in data)
            state = ArmCrc32.ComputeCrc32C(state, b);
        return state;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint crc = i;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
            table[i] = crc;
        }

        return table;
    }
}
