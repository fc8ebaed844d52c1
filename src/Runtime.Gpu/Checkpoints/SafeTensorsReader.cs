using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace Dsl.Checkpoints;

/// <summary>
/// Reads and validates safetensors files. Every defect becomes an <see cref="InvalidDataException"/>
/// whose message starts with the file's path and says what was found and what was expected.
/// </summary>
/// <remarks>
/// The checks follow the reference implementation (huggingface/safetensors, <c>validate</c>):
/// the header is at most 100,000,000 bytes of UTF-8 JSON; each tensor's byte range matches its
/// dtype and shape; the ranges, sorted, tile the data buffer exactly, which is everything after
/// the header. Unknown keys inside a tensor entry are ignored, as the reference does.
/// </remarks>
internal static class SafeTensorsReader
{
    /// <summary>The reference implementation's limit; a larger "length" means this is not a safetensors file.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Loads every tensor of the file at <paramref name="path"/> into memory.</summary>
    public static SafeTensorsFile Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw Error(path, $"the file is {fileLength} bytes long; a safetensors file starts with an 8-byte header length.");

        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(stream, prefix, path);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderLength)
            throw Error(path, $"the header length field is {headerLength} bytes, over the format's limit of {MaxHeaderLength}; this is not a safetensors file or it is corrupt.");
        if ((long)headerLength > fileLength - 8)
            throw Error(path, $"the header length field is {headerLength} bytes but only {fileLength - 8} bytes follow it; the file is truncated or not a safetensors file.");

        var header = new byte[headerLength];
        ReadExactly(stream, header, path);
        long bufferLength = fileLength - 8 - (long)headerLength;

        var entries = new List<SafeTensorsHeaderEntry>();
        IReadOnlyDictionary<string, string> metadata = ParseHeader(path, header, bufferLength, entries);
        CheckTiling(path, entries, bufferLength);

        // Tiled ranges sorted by offset are the buffer in file order, so one forward pass reads them.
        var tensorsByName = new Dictionary<string, SafeTensor>(entries.Count, StringComparer.Ordinal);
        foreach (SafeTensorsHeaderEntry entry in SortedByOffset(entries))
        {
            if (entry.Length > Array.MaxLength)
                throw Error(path, $"tensor '{entry.Name}' has {entry.Length} bytes, more than this reader holds in one array.");
            var data = new byte[entry.Length];
            ReadExactly(stream, data, path);
            tensorsByName.Add(entry.Name, new SafeTensor(entry.Name, entry.DType, entry.Shape, data));
        }

        var tensors = new SafeTensor[entries.Count];
        for (int i = 0; i < tensors.Length; i++)
            tensors[i] = tensorsByName[entries[i].Name];
        return new SafeTensorsFile(path, tensors, metadata);
    }

    private static IReadOnlyDictionary<string, string> ParseHeader(string path, byte[] header, long bufferLength, List<SafeTensorsHeaderEntry> entries)
    {
        CheckUtf8(path, header);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw Error(path, $"the header is not valid JSON ({e.Message}); expected a JSON object mapping tensor names to {{\"dtype\", \"shape\", \"data_offsets\"}}.", e);
        }

        using (document)
        {
            CheckStrings(path, header);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Error(path, $"the header is a JSON {Kind(root)}; expected an object mapping tensor names to {{\"dtype\", \"shape\", \"data_offsets\"}}.");

            var seen = new HashSet<string>(StringComparer.Ordinal);
            IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
            foreach (JsonProperty property in root.EnumerateObject())
            {
                string name = property.Name;
                // JSON parsers keep the last of repeated keys; a repeated tensor name would
                // silently drop data, so it is an error here.
                if (!seen.Add(name))
                    throw Error(path, $"the header names '{name}' more than once; tensor names must be unique.");
                if (name == MetadataKey)
                    metadata = ParseMetadata(path, property.Value);
                else
                    entries.Add(ParseEntry(path, name, property.Value, bufferLength));
            }

            return metadata;
        }
    }

    private static void CheckUtf8(string path, byte[] header)
    {
        if (System.Text.Unicode.Utf8.IsValid(header))
            return;
        int offset = 0;
        while (Rune.DecodeFromUtf8(header.AsSpan(offset), out _, out int consumed) == System.Buffers.OperationStatus.Done)
            offset += consumed;
        throw Error(path, $"the header is not valid UTF-8 (bad byte 0x{header[offset]:X2} at header offset {offset}); the format requires UTF-8 JSON.");
    }

    // JsonDocument accepts an escape such as "\ud800" without its pair and throws
    // InvalidOperationException only when the string is decoded, which a lookup by name does
    // for every key it compares. serde_json, behind the reference reader, rejects it anywhere in
    // the header, so every escaped string is decoded once here, before anything looks inside.
    private static void CheckStrings(string path, byte[] header)
    {
        var reader = new Utf8JsonReader(header);
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.String) || !reader.ValueIsEscaped)
                continue;
            try
            {
                reader.GetString();
            }
            catch (InvalidOperationException e)
            {
                string raw = Encoding.UTF8.GetString(reader.ValueSpan);
                string shown = raw.Length <= 60 ? raw : raw[..60] + "...";
                throw Error(path, $"the header's JSON string \"{shown}\" (at header offset {reader.TokenStartIndex}) contains a lone UTF-16 surrogate escape (\\uD800 to \\uDFFF without its pair), which is not text; expected valid JSON strings.", e);
            }
        }
    }

    private static Dictionary<string, string> ParseMetadata(string path, JsonElement value)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value.ValueKind == JsonValueKind.Null)
            return metadata; // The reference reader accepts null as "no metadata".
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(path, $"\"{MetadataKey}\" is a JSON {Kind(value)}; expected an object of string keys and string values.");
        foreach (JsonProperty pair in value.EnumerateObject())
        {
            string key = pair.Name;
            if (pair.Value.ValueKind != JsonValueKind.String)
                throw Error(path, $"\"{MetadataKey}\" key '{key}' has a {Kind(pair.Value)} value ({pair.Value.GetRawText()}); the format allows only string values.");
            if (!metadata.TryAdd(key, pair.Value.GetString()!))
                throw Error(path, $"\"{MetadataKey}\" names key '{key}' more than once.");
        }

        return metadata;
    }

    private static SafeTensorsHeaderEntry ParseEntry(string path, string name, JsonElement value, long bufferLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(path, $"tensor '{name}' is described by a JSON {Kind(value)}; expected an object with \"dtype\", \"shape\" and \"data_offsets\".");

        string dtypeText = Property(path, name, value, "dtype", JsonValueKind.String, "a string such as \"F32\"").GetString()!;
        if (!SafeTensorsDTypes.TryParse(dtypeText, out SafeTensorsDType dtype))
            throw Error(path, $"tensor '{name}' has unknown dtype \"{dtypeText}\"; expected one of {SafeTensorsDTypes.Supported}.");

        JsonElement shapeElement = Property(path, name, value, "shape", JsonValueKind.Array, "an array of non-negative integers");
        var shape = new int[shapeElement.GetArrayLength()];
        long count = 1;
        int d = 0;
        foreach (JsonElement dimension in shapeElement.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt64(out long size))
                throw Error(path, $"tensor '{name}' has shape {shapeElement.GetRawText()}: dimension {d} is {dimension.GetRawText()}; expected a non-negative integer.");
            if (size < 0)
                throw Error(path, $"tensor '{name}' has shape {shapeElement.GetRawText()}: dimension {d} is negative; expected a non-negative integer.");
            if (size > int.MaxValue)
                throw Error(path, $"tensor '{name}' has shape {shapeElement.GetRawText()}: dimension {d} exceeds {int.MaxValue}, the largest this reader supports.");
            shape[d++] = (int)size;
            count = MultiplyOrThrow(path, name, count, size, shapeElement);
        }

        JsonElement offsets = Property(path, name, value, "data_offsets", JsonValueKind.Array, "an array [begin, end] of two non-negative integers");
        if (offsets.GetArrayLength() != 2)
            throw Error(path, $"tensor '{name}' has data_offsets {offsets.GetRawText()} with {offsets.GetArrayLength()} elements; expected [begin, end].");
        long begin = Offset(path, name, offsets, 0), end = Offset(path, name, offsets, 1);
        if (begin > end)
            throw Error(path, $"tensor '{name}' has data_offsets [{begin}, {end}]: begin is after end.");

        long expectedBytes = MultiplyOrThrow(path, name, count, SafeTensorsDTypes.SizeOf(dtype), shapeElement);
        if (end - begin != expectedBytes)
            throw Error(path, $"tensor '{name}' has data_offsets [{begin}, {end}] ({end - begin} bytes) but its dtype {dtype} and shape {SafeTensorsDTypes.FormatShape(shape)} need {expectedBytes} bytes.");
        if (end > bufferLength)
            throw Error(path, $"tensor '{name}' has data_offsets [{begin}, {end}], past the end of the data buffer ({bufferLength} bytes follow the header); the file is truncated or the offsets are wrong.");
        return new SafeTensorsHeaderEntry(name, dtype, shape, begin, end);
    }

    private static void CheckTiling(string path, List<SafeTensorsHeaderEntry> entries, long bufferLength)
    {
        long expected = 0;
        SafeTensorsHeaderEntry? previous = null;
        foreach (SafeTensorsHeaderEntry entry in SortedByOffset(entries))
        {
            if (entry.Begin != expected)
            {
                string after = previous is null ? "the start of the data buffer (offset 0)" : $"the end of tensor '{previous.Name}' (offset {expected})";
                string problem = entry.Begin > expected
                    ? $"leaves {entry.Begin - expected} unused bytes after {after}"
                    : $"overlaps tensor '{previous!.Name}' {previous.OffsetsText}";
                throw Error(path, $"tensor '{entry.Name}' has data_offsets {entry.OffsetsText}, which {problem}; the tensors must tile the data buffer with no holes or overlaps, so it should begin at {expected}.");
            }

            expected = entry.End;
            previous = entry;
        }

        if (expected != bufferLength)
            throw Error(path, $"the tensors' data ends at offset {expected} of the data buffer but {bufferLength} bytes follow the header; {bufferLength - expected} trailing bytes belong to no tensor.");
    }

    private static List<SafeTensorsHeaderEntry> SortedByOffset(List<SafeTensorsHeaderEntry> entries)
    {
        var sorted = new List<SafeTensorsHeaderEntry>(entries);
        // Ordering by end too keeps empty tensors at an offset before the non-empty one starting there.
        sorted.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        return sorted;
    }

    private static JsonElement Property(string path, string name, JsonElement entry, string key, JsonValueKind kind, string expected)
    {
        if (!entry.TryGetProperty(key, out JsonElement value))
            throw Error(path, $"tensor '{name}' has no \"{key}\"; expected {expected}.");
        if (value.ValueKind != kind)
            throw Error(path, $"tensor '{name}' has \"{key}\": {value.GetRawText()}, a JSON {Kind(value)}; expected {expected}.");
        return value;
    }

    private static long Offset(string path, string name, JsonElement offsets, int index)
    {
        JsonElement element = offsets[index];
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long offset) || offset < 0)
            throw Error(path, $"tensor '{name}' has data_offsets {offsets.GetRawText()}: element {index} is {element.GetRawText()}; expected a non-negative integer.");
        return offset;
    }

    private static long MultiplyOrThrow(string path, string name, long a, long b, JsonElement shape)
    {
        try
        {
            return checked(a * b);
        }
        catch (OverflowException)
        {
            throw Error(path, $"tensor '{name}' has shape {shape.GetRawText()}, too large to address with 64-bit offsets.");
        }
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            // Only reachable if the file shrinks while being read: the lengths were checked first.
            throw Error(path, "the file ended early (was it changed while being read?).", e);
        }
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };

    private static InvalidDataException Error(string path, string message, Exception? inner = null) => new($"{path}: {message}", inner);
}
