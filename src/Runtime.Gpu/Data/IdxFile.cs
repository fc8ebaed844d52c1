using System;
using System.Buffers.Binary;
using System.IO;
using Dsl.Data;

namespace Dsl;

/// <summary>
/// Reads IDX files, the format of LeCun's MNIST distribution: the magic bytes 0, 0, a type
/// code and a dimension count, then each dimension as a big-endian int32, then the values,
/// big-endian, in row-major order.
/// </summary>
public static class IdxFile
{
    /// <summary>Reads a whole IDX file; gzip-compressed files (<c>.gz</c>) are recognised by their first bytes.</summary>
    /// <param name="path">The file.</param>
    /// <returns>Its type, dimensions and values.</returns>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">
    /// The magic bytes are wrong, the type code is unknown, a dimension is negative, or the data
    /// is shorter or longer than the dimensions say; the message names the file and the byte counts.
    /// </exception>
    public static IdxArray Read(string path)
    {
        string file = Path.GetFileName(path);
        byte[] bytes = DataFile.ReadAllBytes(path);
        if (bytes.Length < 4)
            throw new InvalidDataException($"{file}: truncated: an IDX header needs at least 4 bytes but the file holds {bytes.Length}.");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{file}: not an IDX file: it starts with 0x{bytes[0]:X2} 0x{bytes[1]:X2} where IDX has the magic bytes 0x00 0x00.");

        var type = (IdxElementType)bytes[2];
        int elementSize = type switch
        {
            IdxElementType.UInt8 or IdxElementType.Int8 => 1,
            IdxElementType.Int16 => 2,
            IdxElementType.Int32 or IdxElementType.Float32 => 4,
            IdxElementType.Float64 => 8,
            _ => throw new InvalidDataException($"{file}: type code 0x{bytes[2]:X2} is not an IDX type (0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)."),
        };

        int rank = bytes[3];
        if (rank == 0)
            throw new InvalidDataException($"{file}: the header declares 0 dimensions.");
        int headerSize = 4 + 4 * rank;
        if (bytes.Length < headerSize)
            throw new InvalidDataException($"{file}: truncated: a header of {rank} dimensions needs {headerSize} bytes but the file holds {bytes.Length}.");

        int[] dimensions = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (dimensions[d] < 0)
                throw new InvalidDataException($"{file}: dimension {d} is {dimensions[d]}; dimensions cannot be negative.");
            count *= dimensions[d];
            if (count > Array.MaxLength)
                throw new InvalidDataException($"{file}: dimensions [{string.Join(", ", dimensions[..(d + 1)])}...] exceed the largest array.");
        }

        long expected = headerSize + count * elementSize;
        if (bytes.Length != expected)
        {
            string shape = $"{string.Join(" x ", dimensions)} {type} values";
            throw new InvalidDataException(bytes.Length < expected
                ? $"{file}: truncated: {shape} need {expected} bytes but the file holds {bytes.Length}."
                : $"{file}: {shape} need {expected} bytes but the file holds {bytes.Length}; the {bytes.Length - expected} bytes after them are not IDX data.");
        }

        return new IdxArray(file, type, dimensions, Decode(bytes.AsSpan(headerSize), type, (int)count));
    }

    private static Array Decode(ReadOnlySpan<byte> data, IdxElementType type, int count)
    {
        switch (type)
        {
            case IdxElementType.UInt8:
                return data.ToArray();
            case IdxElementType.Int8:
                sbyte[] sbytes = new sbyte[count];
                for (int i = 0; i < count; i++)
                    sbytes[i] = (sbyte)data[i];
                return sbytes;
            case IdxElementType.Int16:
                short[] shorts = new short[count];
                for (int i = 0; i < count; i++)
                    shorts[i] = BinaryPrimitives.ReadInt16BigEndian(data[(2 * i)..]);
                return shorts;
            case IdxElementType.Int32:
                int[] ints = new int[count];
                for (int i = 0; i < count; i++)
                    ints[i] = BinaryPrimitives.ReadInt32BigEndian(data[(4 * i)..]);
                return ints;
            case IdxElementType.Float32:
                float[] floats = new float[count];
                for (int i = 0; i < count; i++)
                    floats[i] = BinaryPrimitives.ReadSingleBigEndian(data[(4 * i)..]);
                return floats;
            default:
                double[] doubles = new double[count];
                for (int i = 0; i < count; i++)
                    doubles[i] = BinaryPrimitives.ReadDoubleBigEndian(data[(8 * i)..]);
                return doubles;
        }
    }
}
