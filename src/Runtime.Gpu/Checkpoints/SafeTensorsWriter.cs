using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Dsl.Checkpoints;

/// <summary>Lays out a safetensors file: length, padded JSON header, then the tensors back to back.</summary>
internal static class SafeTensorsWriter
{
    private const byte Space = 0x20;

    /// <summary>Writes the whole file to <paramref name="stream"/>; the tensors and metadata are already validated.</summary>
    public static void Write(Stream stream, IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        byte[] header = BuildHeader(tensors, metadata);
        // The format asks writers to pad to a multiple of 8 with spaces, so that the buffer (and
        // every 8-byte-aligned tensor in it) is aligned when the file is memory-mapped.
        int padding = (8 - header.Length % 8) % 8;
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)(header.Length + padding));
        stream.Write(prefix);
        stream.Write(header);
        for (int i = 0; i < padding; i++)
            stream.WriteByte(Space);
        foreach (SafeTensor tensor in tensors)
            stream.Write(tensor.Data.Span);
    }

    private static byte[] BuildHeader(IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps names such as "a+b" or non-ASCII readable; the header is never
        // embedded in HTML, which is all the default escaping guards against.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (KeyValuePair<string, string> pair in metadata)
                    json.WriteString(pair.Key, pair.Value);
                json.WriteEndObject();
            }

            long offset = 0;
            foreach (SafeTensor tensor in tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType.ToString());
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.ShapeSpan)
                    json.WriteNumberValue(dimension);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.Data.Length;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
