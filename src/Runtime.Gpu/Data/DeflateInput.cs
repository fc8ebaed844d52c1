using System;
using System.IO;

namespace Dsl.Data;

/// <summary>
/// Feeds a file's compressed bytes to a <see cref="System.IO.Compression.DeflateStream"/>, in
/// large reads up to a given offset and one byte per read from there on.
/// </summary>
/// <remarks>
/// A DeflateStream reads ahead and does not say where the deflate data ended (.NET 10; the
/// rewind of dotnet/runtime#121111 arrives in .NET 11). The decoder asks for input only when
/// it has used all it was given, so when the data ends inside a one-byte read, that byte is
/// the last one of the deflate data and <see cref="Position"/> is exactly its end.
/// </remarks>
internal sealed class DeflateInput : Stream
{
    private readonly Stream _file;
    private readonly long _oneByteFrom;

    /// <summary>Feeds <paramref name="file"/> from its current position.</summary>
    /// <param name="file">The file, not owned.</param>
    /// <param name="oneByteFrom">The file offset from which each read returns a single byte.</param>
    public DeflateInput(Stream file, long oneByteFrom)
    {
        _file = file;
        _oneByteFrom = oneByteFrom;
    }

    /// <summary>True once a read found the end of the file: the decoder wanted more than the file holds.</summary>
    public bool ReachedEnd { get; private set; }

    /// <summary>True if the last read returned a single byte, so that <see cref="Position"/> is exact where the data ended.</summary>
    public bool LastReadWasOneByte { get; private set; }

    /// <summary>The file offset where the last read started.</summary>
    public long LastReadStart { get; private set; }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <summary>The file offset after the last byte handed to the decoder.</summary>
    public override long Position
    {
        get => _file.Position;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        long start = _file.Position;
        int wanted = start >= _oneByteFrom ? 1 : (int)Math.Min(buffer.Length, _oneByteFrom - start);
        int read = _file.Read(buffer[..wanted]);
        LastReadStart = start;
        LastReadWasOneByte = read == 1;
        if (read == 0)
            ReachedEnd = true;
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
}
