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
    /// <param name="options">Limits; <see langword="null"/> for the defaults.</param>
    /// <returns>Its type, dimensions and values.</returns>
    /// <exception cref="FileNotFoundException">There is no such file, or the path is a directory.</exception>
    /// <exception cref="InvalidDataException">
    /// The magic bytes are wrong, the type code is unknown, a dimension is negative, the declared
    /// size is over <see cref="DataFileOptions.MaxBytes"/>, the data is shorter or longer than the
    /// dimensions say, or the gzip data is damaged; the message names the file and the byte counts.
    /// </exception>
    public static IdxArray Read(string path, DataFileOptions? options = null)
    {
        long maxBytes = (options ?? new DataFileOptions()).MaxBytes;
        string file = Path.GetFileName(path);
        return DataFile.Parse(path, maxBytes, stream => Parse(stream, file, maxBytes));
    }

    // Streams: the header is read first and the declared size checked against the limit, then
    // the values are read straight into an array of exactly that size.
    private static IdxArray Parse(Stream stream, string file, long maxBytes)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4)
            throw new InvalidDataException($"{file}: truncated: an IDX header needs at least 4 bytes but the file holds {got}.");
        if (magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException($"{file}: not an IDX file: it starts with 0x{magic[0]:X2} 0x{magic[1]:X2} where IDX has the magic bytes 0x00 0x00.");

        var type = (IdxElementType)magic[2];
        int elementSize = type switch
        {
            IdxElementType.UInt8 or IdxElementType.Int8 => 1,
            IdxElementType.Int16 => 2,
            IdxElementType.Int32 or IdxElementType.Float32 => 4,
            IdxElementType.Float64 => 8,
            _ => throw new InvalidDataException($"{file}: type code 0x{magic[2]:X2} is not an IDX type (0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)."),
        };

        int rank = magic[3];
        if (rank == 0)
            throw new InvalidDataException($"{file}: the header declares 0 dimensions.");
        int headerSize = 4 + 4 * rank;
        byte[] dimensionBytes = new byte[4 * rank];
        got = stream.ReadAtLeast(dimensionBytes, dimensionBytes.Length, throwOnEndOfStream: false);
        if (got < dimensionBytes.Length)
            throw new InvalidDataException($"{file}: truncated: a header of {rank} dimensions needs {headerSize} bytes but the file holds {4 + got}.");

        int[] dimensions = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(dimensionBytes.AsSpan(4 * d));
            if (dimensions[d] < 0)
                throw new InvalidDataException($"{file}: dimension {d} is {dimensions[d]}; dimensions cannot be negative.");
            count *= dimensions[d];
            if (count > Array.MaxLength)
                throw new InvalidDataException($"{file}: dimensions [{string.Join(", ", dimensions[..(d + 1)])}...] exceed the largest array.");
        }

        string shape = $"{string.Join(" x ", dimensions)} {type} values";
        long expected = headerSize + count * elementSize;
        if (expected > maxBytes)
            throw new InvalidDataException($"{file}: the header declares {shape}, {expected} bytes, over the limit of {maxBytes} (DataFileOptions.MaxBytes); raise the limit if the file is genuine.");
        if (count * elementSize > Array.MaxLength)
            throw new InvalidDataException($"{file}: {shape} need {count * elementSize} bytes, more than one array holds.");
        if (stream is FileStream plain && plain.Length != expected)
            throw WrongLength(file, shape, expected, plain.Length);
        // The gzip trailer's size, known before inflating, spares allocating the declared size for
        // data that is not there. DataFile.Parse checks the whole gzip data before this error is
        // shown, so the size it gives is the size the data has (modulo 2^32, beyond any limit here).
        if (stream is CheckedGZipStream gzip && gzip.RecordedSize != (uint)expected)
            throw WrongLength(file, shape, expected, gzip.RecordedSize);

        byte[] data = new byte[count * elementSize];
        got = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (got < data.Length)
            throw WrongLength(file, shape, expected, headerSize + got);
        long extra = CountRest(stream);
        if (extra > 0)
            throw WrongLength(file, shape, expected, expected + extra);

        return new IdxArray(file, type, dimensions, Decode(data, type, (int)count));
    }

    private static InvalidDataException WrongLength(string file, string shape, long expected, long actual) => new(actual < expected
        ? $"{file}: truncated: {shape} need {expected} bytes but the file holds {actual}."
        : $"{file}: {shape} need {expected} bytes but the file holds {actual}; the {actual - expected} bytes after them are not IDX data.");

    // Reading to the end also makes a gzip stream check its trailer.
    private static long CountRest(Stream stream)
    {
        var scratch = new byte[1 << 16];
        long rest = 0;
        int read;
        while ((read = stream.Read(scratch)) > 0)
            rest += read;
        return rest;
    }

    private static Array Decode(byte[] data, IdxElementType type, int count)
    {
        switch (type)
        {
            case IdxElementType.UInt8:
                return data;
            case IdxElementType.Int8:
                sbyte[] sbytes = new sbyte[count];
                for (int i = 0; i < count; i++)
                    sbytes[i] = (sbyte)data[i];
                return sbytes;
            case IdxElementType.Int16:
                short[] shorts = new short[count];
                for (int i = 0; i < count; i++)
                    shorts[i] = BinaryPrimitives.ReadInt16BigEndian(data.AsSpan(2 * i));
                return shorts;
            case IdxElementType.Int32:
                int[] ints = new int[count];
                for (int i = 0; i < count; i++)
                    ints[i] = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4 * i));
                return ints;
            case IdxElementType.Float32:
                float[] floats = new float[count];
                for (int i = 0; i < count; i++)
                    floats[i] = BinaryPrimitives.ReadSingleBigEndian(data.AsSpan(4 * i));
                return floats;
            default:
                double[] doubles = new double[count];
                for (int i = 0; i < count; i++)
                    doubles[i] = BinaryPrimitives.ReadDoubleBigEndian(data.AsSpan(8 * i));
                return doubles;
        }
    }
}
