using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Runtime.ExceptionServices;

namespace Dsl.Data;

/// <summary>
/// Decompresses a single-member gzip file, checking everything gzip records about itself and
/// naming what is wrong: a cut-off file, corrupt deflate data, a CRC-32 or size that does not
/// match, data beyond the size limit, a second member, or other bytes after the trailer.
/// </summary>
/// <remarks>
/// <para>
/// The framework's <see cref="GZipStream"/> reads a truncated file as a normal end of data,
/// reports every CRC or data error as "an unsupported compression method", silently ignores
/// bytes after a member unless they start with gzip's magic, and decodes a second member as
/// more of the same data. So this class parses the header itself, inflates the raw deflate data
/// with a <see cref="DeflateStream"/>, and checks the trailer itself.
/// </para>
/// <para>
/// Policy: a file of several concatenated members (bgzip, <c>cat a.gz b.gz</c>) is rejected,
/// clearly, rather than read. RFC 1952 allows it, but checking each member's trailer needs the
/// exact end of each member's deflate data, which .NET 10's DeflateStream does not report: it
/// is found only by feeding the last bytes one at a time (see <see cref="DeflateInput"/>), which
/// is cheap near the end of the file and would need a second inflating pass for every member
/// that ends far from it. The datasets this reads ship as single members.
/// </para>
/// </remarks>
internal sealed class CheckedGZipStream : Stream
{
    // The last bytes of the file are fed one at a time, so a member that ends there ends at an
    // exactly known byte: an intact file's data ends 8 bytes before the end; a margin covers a
    // few bytes of trailing junk; more than that takes a second pass, on the way to an error.
    private const int ExactTail = 64;
    private const int TrailerLength = 8;

    private readonly FileStream _file;
    private readonly string _name;
    private readonly long _maxBytes;
    private readonly long _dataStart;
    private readonly DeflateInput _input;
    private readonly DeflateStream _deflate;
    private uint _crc;
    private long _produced;
    private bool _verified;
    private bool _overLimit;
    private ExceptionDispatchInfo? _failure;

    /// <summary>Reads the gzip header and prepares to inflate what follows it.</summary>
    /// <param name="file">The whole file, at position 0; owned and disposed by this stream.</param>
    /// <param name="name">The file's name, for messages.</param>
    /// <param name="maxBytes">The most bytes the data may decompress to.</param>
    /// <exception cref="InvalidDataException">The gzip header is invalid.</exception>
    public CheckedGZipStream(FileStream file, string name, long maxBytes)
    {
        _file = file;
        _name = name;
        _maxBytes = maxBytes;
        if (file.Length >= TrailerLength)
        {
            Span<byte> size = stackalloc byte[4];
            file.Position = file.Length - 4;
            file.ReadExactly(size);
            RecordedSize = BinaryPrimitives.ReadUInt32LittleEndian(size);
            file.Position = 0;
        }

        GZipHeader.Skip(file, name);
        _dataStart = file.Position;
        _input = new DeflateInput(file, Math.Max(_dataStart, file.Length - ExactTail));
        _deflate = new DeflateStream(_input, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>
    /// The uncompressed size modulo 2^32 that the file's last four bytes record, if the file is
    /// intact: a hint, read before inflating, for a format that declares its own size to
    /// cross-check. It is verified only at the end of the data.
    /// </summary>
    public uint RecordedSize { get; }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => _produced;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        _failure?.Throw();
        if (_verified || buffer.IsEmpty)
            return 0;

        int read;
        try
        {
            read = _deflate.Read(buffer);
        }
        catch (InvalidDataException)
        {
            // The framework's message ("unsupported compression method") is wrong for a data error, so it is not repeated.
            throw Fail($"the gzip data is corrupt: the compressed data is not valid deflate data (a bad block type, code or distance) at or before byte {_input.Position} of {_file.Length}.");
        }

        if (read == 0)
        {
            VerifyEnd();
            _verified = true;
            return 0;
        }

        _produced += read;
        if (_produced > _maxBytes)
        {
            _overLimit = true;
            throw Fail($"the gzip data decompresses to more than {_maxBytes} bytes, the limit (MaxBytes in the options); raise the limit if the file is genuine.");
        }

        _crc = Crc32.Append(_crc, buffer[..read]);
        return read;
    }

    /// <summary>
    /// Reads the rest of the data, discarding it, and throws if the gzip data is damaged. A
    /// parser that rejects the contents calls this first, so that corruption is reported as
    /// corruption, not as whatever the damaged contents look like. Returns quietly if the data
    /// is intact, already failed, or too large to check within the limit.
    /// </summary>
    public void ThrowIfDamaged()
    {
        if (_failure is not null)
            return;
        var scratch = new byte[1 << 16];
        try
        {
            while (Read(scratch) > 0)
            {
            }
        }
        catch (InvalidDataException) when (_overLimit)
        {
        }
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _deflate.Dispose();
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    private void VerifyEnd()
    {
        long length = _file.Length;
        if (_input.ReachedEnd)
            throw Fail($"the gzip data is truncated: it ends after {_produced} bytes, inside the compressed data (the file has {length} bytes; was it cut short?).");

        long end = _input.LastReadWasOneByte ? _input.Position : LocateDeflateEnd(_input.LastReadStart);
        long left = length - end;
        if (left < TrailerLength)
            throw Fail($"the gzip data is truncated: it ends after {_produced} bytes; the compressed data ends at byte {end} but only {left} of the 8 trailer bytes (CRC-32 and size) follow.");

        Span<byte> trailer = stackalloc byte[TrailerLength];
        _file.Position = end;
        _file.ReadExactly(trailer);
        uint recordedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        uint recordedSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (recordedCrc != _crc)
            throw Fail($"the gzip data is corrupt: its CRC-32 is 0x{_crc:X8} but the trailer (at byte {end}) records 0x{recordedCrc:X8}.");
        if (recordedSize != (uint)_produced)
            throw Fail($"the gzip data is corrupt: it decompresses to {_produced} bytes but the trailer (at byte {end + 4}) records {recordedSize} (the size modulo 2^32).");

        long next = end + TrailerLength;
        if (next == length)
            return;
        Span<byte> magic = stackalloc byte[2];
        int read = _file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        if (read == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
            throw Fail($"a second gzip member starts at byte {next} (concatenated gzip, as bgzip or 'cat a.gz b.gz' write); only single-member files are read: recompress the data as one member (gzip -dc {_name} | gzip > single.gz).");
        throw Fail($"{length - next} bytes that are not gzip data follow the gzip trailer, from byte {next} (first byte 0x{magic[0]:X2}); a gzip file ends with its trailer.");
    }

    /// <summary>
    /// Finds the exact end of the deflate data when it ended inside a large read: inflates again
    /// from the start, one byte at a time from <paramref name="from"/>. Only reached when more
    /// than <see cref="ExactTail"/> bytes follow the data, which is an error either way.
    /// </summary>
    private long LocateDeflateEnd(long from)
    {
        _file.Position = _dataStart;
        var input = new DeflateInput(_file, from);
        using var deflate = new DeflateStream(input, CompressionMode.Decompress, leaveOpen: true);
        var scratch = new byte[1 << 16];
        while (deflate.Read(scratch) > 0)
        {
        }

        return input.Position;
    }

    private InvalidDataException Fail(string message)
    {
        var failure = new InvalidDataException($"{_name}: {message}");
        _failure = ExceptionDispatchInfo.Capture(failure);
        return failure;
    }
}
