using System;
using System.IO;

namespace Dsl.Data;

/// <summary>The header of a gzip member (RFC 1952 section 2.3), read and checked field by field.</summary>
internal static class GZipHeader
{
    private const byte Deflate = 8;
    private const byte HeaderCrcFlag = 0x02, ExtraFlag = 0x04, NameFlag = 0x08, CommentFlag = 0x10, ReservedFlags = 0xE0;

    /// <summary>
    /// Reads the header at the start of <paramref name="file"/> and leaves the stream at the
    /// deflate data that follows it.
    /// </summary>
    /// <param name="file">The gzip file, positioned at its first byte.</param>
    /// <param name="name">The file's name, for messages.</param>
    /// <exception cref="InvalidDataException">The header is cut short, names a method other than deflate, sets reserved flags or fails its own CRC.</exception>
    public static void Skip(Stream file, string name)
    {
        uint crc = 0;
        int Next(string field)
        {
            int b = file.ReadByte();
            if (b < 0)
                throw new InvalidDataException($"{name}: the gzip data is truncated: the file ends inside its header, in the {field}.");
            Span<byte> one = [(byte)b];
            crc = Crc32.Append(crc, one);
            return b;
        }

        Next("magic bytes");
        Next("magic bytes");
        int method = Next("compression method");
        if (method != Deflate)
            throw new InvalidDataException($"{name}: the gzip header names compression method {method}; gzip defines only 8 (deflate).");
        int flags = Next("flags");
        if ((flags & ReservedFlags) != 0)
            throw new InvalidDataException($"{name}: the gzip header sets reserved flag bits (flags 0x{flags:X2}); a reader must reject them (RFC 1952).");
        for (int i = 0; i < 6; i++)
            Next("modification time, extra flags and OS fields");

        if ((flags & ExtraFlag) != 0)
        {
            int length = Next("extra field's length") | Next("extra field's length") << 8;
            for (int i = 0; i < length; i++)
                Next("extra field");
        }

        if ((flags & NameFlag) != 0)
        {
            while (Next("original file name") != 0)
            {
            }
        }

        if ((flags & CommentFlag) != 0)
        {
            while (Next("comment") != 0)
            {
            }
        }

        if ((flags & HeaderCrcFlag) != 0)
        {
            uint expected = crc & 0xFFFF;
            int recorded = Next("header CRC") | Next("header CRC") << 8;
            if (recorded != expected)
                throw new InvalidDataException($"{name}: the gzip header is corrupt: its CRC-16 is 0x{expected:X4} but the header records 0x{recorded:X4}.");
        }
    }
}
