using System;
using System.IO;
using System.IO.Compression;

namespace Dsl.Data;

/// <summary>
/// A read-only <see cref="GZipStream"/> that fails at the end if the data was cut short.
/// </summary>
/// <remarks>
/// GZipStream reports a truncated file (an interrupted download) as a normal end of data, so a
/// CSV cut at a line break would load silently with rows missing. The gzip trailer's last four
/// bytes hold the uncompressed size modulo 2^32 (RFC 1952, ISIZE); comparing it with the bytes
/// actually produced catches the cut. A file of several concatenated gzip members (bgzip) records
/// only its last member's size there, so it is reported too: recompress it as one member.
/// </remarks>
internal sealed class CheckedGZipStream : Stream
{
    private readonly GZipStream _inner;
    private readonly string _file;
    private readonly uint _expectedSize;
    private long _produced;

    /// <summary>Wraps a file stream positioned at the start of gzip data.</summary>
    /// <param name="file">The whole file; owned and disposed by this stream.</param>
    /// <param name="name">The file's name, for messages.</param>
    public CheckedGZipStream(FileStream file, string name)
    {
        _file = name;
        Span<byte> trailer = stackalloc byte[4];
        if (file.Length >= 18) // the smallest gzip file: 10-byte header, empty deflate data, 8-byte trailer
        {
            file.Position = file.Length - 4;
            file.ReadExactly(trailer);
        }
        else
        {
            throw new InvalidDataException($"{name}: the gzip data is truncated: {file.Length} bytes, shorter than any gzip file.");
        }

        file.Position = 0;
        _expectedSize = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        _inner = new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
    }

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
        int read;
        try
        {
            read = _inner.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{_file}: the gzip data is corrupt ({e.Message})", e);
        }

        _produced += read;
        if (read == 0 && buffer.Length > 0 && (uint)_produced != _expectedSize)
            throw new InvalidDataException($"{_file}: the gzip data is truncated: it ends after {_produced} bytes, but its trailer records {_expectedSize} (modulo 2^32).");
        return read;
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
            _inner.Dispose();
        base.Dispose(disposing);
    }
}
