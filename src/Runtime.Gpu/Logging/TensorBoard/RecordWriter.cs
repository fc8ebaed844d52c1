using System;
using System.Buffers.Binary;
using System.IO;

namespace Dsl.Logging.TensorBoard;

/// <summary>
/// Appends TFRecord-framed records: a little-endian uint64 length, the masked CRC-32C of those 8
/// bytes, the data, and the masked CRC-32C of the data. This is the framing TensorBoard's event
/// files use; the length's own CRC lets a reader reject a torn length before trusting it.
/// </summary>
internal sealed class RecordWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[12];
    private readonly byte[] _footer = new byte[4];

    /// <summary>Writes records to <paramref name="stream"/>, which the writer then owns.</summary>
    /// <param name="stream">A writable stream, normally a new file.</param>
    public RecordWriter(Stream stream) => _stream = stream;

    /// <summary>Appends one record.</summary>
    /// <param name="data">The record's bytes (an encoded Event).</param>
    public void Write(ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(8), Crc32C.ComputeMasked(_header.AsSpan(0, 8)));
        BinaryPrimitives.WriteUInt32LittleEndian(_footer, Crc32C.ComputeMasked(data));
        _stream.Write(_header);
        _stream.Write(data);
        _stream.Write(_footer);
    }

    /// <summary>Pushes everything written so far to disk, so TensorBoard sees it now.</summary>
    public void Flush()
    {
        if (_stream is FileStream file)
            file.Flush(flushToDisk: true);
        else
            _stream.Flush();
    }

    /// <summary>Flushes and closes the stream.</summary>
    public void Dispose()
    {
        Flush();
        _stream.Dispose();
    }
}
