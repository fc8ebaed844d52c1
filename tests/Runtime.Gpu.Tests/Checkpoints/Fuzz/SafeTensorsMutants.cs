using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Dsl.Tests.Checkpoints.Fuzz;

/// <summary>
/// Makes damaged and hostile variants of one valid safetensors file: raw byte damage (flips,
/// truncations, header lengths, spliced tokens) and edits of the header's JSON that a byte flip
/// would rarely hit (names, dtypes, shapes, offsets, entries, metadata, nesting).
/// </summary>
internal sealed class SafeTensorsMutants
{
    /// <summary>The mutation classes, applied in turn so each gets an equal share of a run.</summary>
    public static readonly string[] Kinds =
    [
        "bit flips", "truncation", "header length", "token splice", "tensor name", "dtype", "shape",
        "data_offsets", "entry", "members", "metadata", "root", "data buffer", "combined",
    ];

    private static readonly string[] LoneSurrogates = ["\\ud800", "\\udc00", "\\udbff", "\\ud800\\ud800", "\\udfffx\\ud800"];

    private static readonly string[] HostileNumbers =
    [
        "1e400", "-1e400", "18446744073709551616", "18446744073709551615", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "2147483647", "2147483648", "4294967296", "-1", "-0", "0.5", "1.0", "1e2", "00", "0x10",
        "NaN", "Infinity", "\"4\"", "true", "null", new string('9', 5000),
    ];

    private static readonly string[] HostileShapes =
    [
        "[]", "[0]", "[-1]", "[1.5]", "[1e400]", "[18446744073709551616]", "[9223372036854775807]", "[2147483648]",
        "[2147483647,2147483647,4]", "[4294967296,4294967296]", "[65536,65536,65536,65536]", "[3037000500,3037000500]",
        "[2147483647,2147483647,2147483647,2147483647,2147483647]", "[1073741824,4]", "[536870912,8]", "null", "\"[2]\"",
        "{}", "[[2]]", "[null]", "[\"2\"]", "[true]",
    ];

    private static readonly string[] HostileDTypes =
    [
        "\"F16\"", "\"BF16\"", "\"F64\"", "\"I32\"", "\"U32\"", "\"I64\"", "\"U8\"", "\"BOOL\"", "\"f32\"", "\"F32 \"", "\"\"",
        "\"F8_E4M3\"", "3", "null", "[]", "{}", "true", "\"F3\\ud8002\"", "\"\\u0046\\u0033\\u0032\"",
    ];

    private static readonly string[] SplicedTokens =
    [
        "\\uD800", "\\udc00", "1e400", "-0", "null", "\"", "{}", "[]", ",", ":", "}", "]", "{", "[", "\u00e9", "\uffff",
        "9223372036854775807", "18446744073709551616", "\"__metadata__\":{},", "\"dtype\":\"F16\",", new string('[', 200),
    ];

    private readonly byte[] _original;
    private readonly HeaderText _header;
    private readonly byte[] _data;

    /// <summary>Takes apart a valid file written by <see cref="SafeTensors.Save"/>.</summary>
    public SafeTensorsMutants(byte[] original)
    {
        _original = original;
        int headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(original));
        _header = HeaderText.Parse(original[8..(8 + headerLength)]);
        _data = original[(8 + headerLength)..];
        HeaderLength = headerLength;
    }

    /// <summary>The original file's header length.</summary>
    public int HeaderLength { get; }

    /// <summary>Makes mutant <paramref name="index"/>, of class <c>Kinds[index % Kinds.Length]</c>.</summary>
    /// <returns>The class, a short description for a failure message, and the file's bytes.</returns>
    public (string Kind, string Description, byte[] Bytes) Make(int index, Random random)
    {
        string kind = Kinds[index % Kinds.Length];
        var what = new List<string>();
        byte[] bytes = kind switch
        {
            "bit flips" => FlipBits(random, what),
            "truncation" => Truncate(random, what),
            "header length" => RewriteHeaderLength(random, what),
            "token splice" => Splice(random, what),
            "data buffer" => ResizeData(random, what),
            "combined" => Structured(random, what, Enumerable.Range(0, random.Next(2, 4)).Select(_ => Kinds[random.Next(4, 12)]).ToArray()),
            _ => Structured(random, what, [kind]),
        };
        return (kind, string.Join("; ", what), bytes);
    }

    private byte[] FlipBits(Random random, List<string> what)
    {
        byte[] bytes = (byte[])_original.Clone();
        int headerEnd = 8 + HeaderLength;
        for (int flips = random.Next(1, 9); flips > 0; flips--)
        {
            // Most flips land in the length field and header, where a flip changes meaning rather than a weight.
            int at = random.Next(10) < 8 ? random.Next(headerEnd) : random.Next(bytes.Length);
            int bit = random.Next(8);
            bytes[at] ^= (byte)(1 << bit);
            what.Add($"flip bit {bit} of byte {at}");
        }

        return bytes;
    }

    private byte[] Truncate(Random random, List<string> what)
    {
        int length = random.Next(3) == 0 ? random.Next(Math.Min(16, _original.Length)) : random.Next(_original.Length);
        what.Add($"cut to {length} bytes");
        return _original[..length];
    }

    private byte[] RewriteHeaderLength(Random random, List<string> what)
    {
        ulong[] lengths =
        [
            0, 1, 2, 7, (ulong)HeaderLength - 1, (ulong)HeaderLength + 1, (ulong)HeaderLength - 8, (ulong)HeaderLength + 8,
            (ulong)HeaderLength + 3, (ulong)_original.Length - 8, (ulong)_original.Length - 7, (ulong)_original.Length,
            99_999_999, 100_000_000, 100_000_001, int.MaxValue, (ulong)int.MaxValue + 1, uint.MaxValue, long.MaxValue,
            (ulong)long.MaxValue + 1, ulong.MaxValue, ((ulong)1 << 32) + (ulong)HeaderLength, (ulong)random.NextInt64(),
        ];
        ulong length = lengths[random.Next(lengths.Length)];
        what.Add($"header length field {length}");
        byte[] bytes = (byte[])_original.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
        return bytes;
    }

    private byte[] Splice(Random random, List<string> what)
    {
        string header = Encoding.UTF8.GetString(_original, 8, HeaderLength);
        int at = random.Next(header.Length + 1);
        string token = SplicedTokens[random.Next(SplicedTokens.Length)];
        bool fixLength = random.Next(2) == 0;
        what.Add($"splice '{Short(token)}' at header offset {at}{(fixLength ? "" : ", header length field unchanged")}");
        byte[] spliced = Encoding.UTF8.GetBytes(header.Insert(at, token));
        return Assemble(spliced, _data, fixLength ? null : (ulong)HeaderLength);
    }

    private byte[] ResizeData(Random random, List<string> what)
    {
        int change = random.Next(2) == 0 ? -random.Next(1, Math.Min(64, _data.Length) + 1) : random.Next(1, 64);
        what.Add($"data buffer {(change < 0 ? "shortened" : "lengthened")} by {Math.Abs(change)} bytes");
        byte[] data = change < 0 ? _data[..(_data.Length + change)] : [.. _data, .. new byte[change]];
        return Assemble(_header.ToUtf8(), data, null);
    }

    private byte[] Structured(Random random, List<string> what, string[] kinds)
    {
        HeaderText header = _header.Clone();
        byte[] data = _data;
        foreach (string kind in kinds)
        {
            switch (kind)
            {
                case "tensor name": MutateName(header, random, what); break;
                case "dtype" when random.Next(2) == 0: SetField(header, random, what, "dtype", Pick(random, HostileDTypes)); break;
                case "dtype": RetypeKeepingBytes(header, random, what); break;
                case "shape": SetField(header, random, what, "shape", ShapeVariant(random)); break;
                case "data_offsets": SetField(header, random, what, "data_offsets", OffsetsVariant(random)); break;
                case "entry": MutateEntry(header, random, what); break;
                case "members": MutateMembers(header, random, what); break;
                case "metadata": MutateMetadata(header, random, what); break;
                case "root": return Root(random, what);
            }
        }

        return Assemble(header.ToUtf8(), data, null);
    }

    private static void MutateName(HeaderText header, Random random, List<string> what)
    {
        int i = TensorIndex(header, random);
        if (i < 0)
            return;
        HeaderText.Member member = header.Members[i];
        string bare = member.Key[1..^1];
        string key = random.Next(8) switch
        {
            0 => $"\"{bare}{Pick(random, LoneSurrogates)}\"",
            1 => $"\"{Pick(random, LoneSurrogates)}{bare}\"",
            2 => header.Members[TensorIndex(header, random)].Key, // a repeated name, or its own
            3 => "\"__metadata__\"",
            4 => "\"\"",
            5 => $"\"optimizer/{bare}\"", // what the trainer's state looks like: skipped when loading weights
            6 => $"\"model.{bare}\"",
            _ => $"\"{bare.ToUpperInvariant()}\"",
        };
        header.Members[i] = member with { Key = key };
        what.Add($"rename {member.Key} to {Short(key)}");
    }

    private static void SetField(HeaderText header, Random random, List<string> what, string field, string value)
    {
        int i = TensorIndex(header, random);
        if (i < 0)
            return;
        List<HeaderText.Field> fields = header.Members[i].Fields!;
        int f = fields.FindIndex(x => x.Key == $"\"{field}\"");
        if (f >= 0)
            fields[f] = fields[f] with { Value = value };
        what.Add($"{header.Members[i].Key}.{field} = {Short(value)}");
    }

    // A dtype of another size with the shape scaled to match, so the byte range still fits:
    // the file is valid, and only a loader that checks dtypes and shapes against the model can refuse it.
    private static void RetypeKeepingBytes(HeaderText header, Random random, List<string> what)
    {
        int i = TensorIndex(header, random);
        if (i < 0)
            return;
        List<HeaderText.Field> fields = header.Members[i].Fields!;
        int d = fields.FindIndex(f => f.Key == "\"dtype\""), s = fields.FindIndex(f => f.Key == "\"shape\"");
        if (d < 0 || s < 0 || fields[d].Value != "\"F32\"")
            return;
        int[] shape = JsonSerializer.Deserialize<int[]>(fields[s].Value)!;
        (string dtype, int[] newShape) = random.Next(4) switch
        {
            0 => ("\"F16\"", [.. shape, 2]),
            1 => ("\"BF16\"", [.. shape[..^1], shape[^1] * 2]),
            2 => ("\"I32\"", shape),
            _ => ("\"U8\"", [.. shape, 4]),
        };
        fields[d] = fields[d] with { Value = dtype };
        fields[s] = fields[s] with { Value = JsonSerializer.Serialize(newShape) };
        what.Add($"{header.Members[i].Key} retyped {dtype} {JsonSerializer.Serialize(newShape)}, same bytes");
    }

    private string ShapeVariant(Random random)
    {
        if (random.Next(2) == 0)
            return Pick(random, HostileShapes);
        // Shapes near the real one: same element count in another arrangement, or one more or fewer element.
        int[] real = RealShape(random);
        long count = real.Aggregate(1L, (a, b) => a * b);
        return random.Next(5) switch
        {
            0 => $"[{count}]",
            1 => $"[{string.Join(",", real.Reverse())}]",
            2 => $"[{string.Join(",", real)},1]",
            3 => $"[{count + 1}]",
            _ => $"[{count / 2},2]",
        };
    }

    private string OffsetsVariant(Random random)
    {
        string otherOffsets = _header.Members[TensorIndex(_header, random)].Fields!.First(f => f.Key == "\"data_offsets\"").Value;
        long[] own = JsonSerializer.Deserialize<long[]>(otherOffsets)!;
        long begin = own[0], end = own[1];
        return random.Next(12) switch
        {
            0 => otherOffsets, // overlaps another tensor exactly
            1 => $"[{begin + 4},{end + 4}]",
            2 => $"[{begin - 4},{end - 4}]",
            3 => $"[{end},{begin}]",
            4 => $"[0,{long.MaxValue}]",
            5 => $"[{_data.Length},{_data.Length + end - begin}]",
            6 => $"[{begin}]",
            7 => $"[{begin},{end},{end}]",
            8 => $"[{Pick(random, HostileNumbers)},{end}]",
            9 => $"[{begin},{Pick(random, HostileNumbers)}]",
            10 => "{\"begin\":0,\"end\":4}",
            _ => Pick(random, HostileNumbers),
        };
    }

    private static void MutateEntry(HeaderText header, Random random, List<string> what)
    {
        int i = TensorIndex(header, random);
        if (i < 0)
            return;
        HeaderText.Member member = header.Members[i];
        List<HeaderText.Field> fields = member.Fields!;
        switch (random.Next(6))
        {
            case 0:
                int removed = random.Next(fields.Count);
                what.Add($"{member.Key}: remove {fields[removed].Key}");
                fields.RemoveAt(removed);
                break;
            case 1:
                HeaderText.Field repeated = fields[random.Next(fields.Count)];
                fields.Add(repeated with { Value = random.Next(2) == 0 ? repeated.Value : Pick(random, HostileDTypes) });
                what.Add($"{member.Key}: repeat {repeated.Key}");
                break;
            case 2:
                fields.Insert(0, new HeaderText.Field("\"extra\"", Nesting(random)));
                what.Add($"{member.Key}: unknown field with deep nesting");
                break;
            default:
                string raw = random.Next(2) == 0 ? Nesting(random) : Pick(random, ["null", "[]", "1", "\"F32\"", "true", "[0,4]"]);
                header.Members[i] = member with { Fields = null, Raw = raw };
                what.Add($"{member.Key} = {Short(raw)}");
                break;
        }
    }

    private static void MutateMembers(HeaderText header, Random random, List<string> what)
    {
        int i = TensorIndex(header, random);
        if (i < 0)
            return;
        HeaderText.Member member = header.Members[i];
        switch (random.Next(4))
        {
            case 0:
                header.Members.RemoveAt(i);
                what.Add($"remove tensor {member.Key}");
                break;
            case 1:
                header.Members.Insert(random.Next(header.Members.Count + 1), member with { Fields = member.Fields!.ToList() });
                what.Add($"repeat tensor {member.Key}");
                break;
            case 2:
                header.Members.Add(new HeaderText.Member("\"extra.weight\"", [new("\"dtype\"", "\"F32\""), new("\"shape\"", "[1]"), new("\"data_offsets\"", "[0,4]")], null));
                what.Add("add a tensor overlapping the first");
                break;
            default:
                header.Members.Add(new HeaderText.Member("\"empty\"", [new("\"dtype\"", "\"F32\""), new("\"shape\"", "[0]"), new("\"data_offsets\"", "[0,0]")], null));
                what.Add("add an empty tensor at offset 0");
                break;
        }
    }

    private static void MutateMetadata(HeaderText header, Random random, List<string> what)
    {
        int m = header.Members.FindIndex(x => x.Key == "\"__metadata__\"");
        if (m < 0 || header.Members[m].Fields is null)
            return;
        HeaderText.Member metadata = header.Members[m];
        string key = $"\"k{Pick(random, ["", .. LoneSurrogates])}\"";
        string value = random.Next(3) switch
        {
            0 => $"\"v{Pick(random, LoneSurrogates)}\"",
            1 => Pick(random, HostileNumbers),
            _ => Pick(random, ["{}", "[]", "null", "{\"a\":\"b\"}", Nesting(random)]),
        };
        switch (random.Next(4))
        {
            case 0:
                header.Members[m] = metadata with { Fields = null, Raw = Pick(random, ["null", "[]", "\"pt\"", "1", Nesting(random)]) };
                what.Add($"__metadata__ = {Short(header.Members[m].Raw!)}");
                break;
            case 1:
                metadata.Fields!.Add(metadata.Fields[0]);
                what.Add($"__metadata__ repeats {metadata.Fields[0].Key}");
                break;
            default:
                metadata.Fields!.Add(new HeaderText.Field(key, value));
                what.Add($"__metadata__ {Short(key)}: {Short(value)}");
                break;
        }
    }

    private byte[] Root(Random random, List<string> what)
    {
        string root = random.Next(6) switch
        {
            0 => Nesting(random),
            1 => "[" + Encoding.UTF8.GetString(_header.ToUtf8()) + "]",
            2 => "\"a string\"",
            3 => new string('9', 10_000),
            4 => "{}",
            _ => Encoding.UTF8.GetString(_header.ToUtf8()) + Encoding.UTF8.GetString(_header.ToUtf8()),
        };
        what.Add($"root = {Short(root)}");
        return Assemble(Encoding.UTF8.GetBytes(root), _data, null);
    }

    private static string Nesting(Random random)
    {
        int depth = Pick(random, [63, 64, 65, 1000, 100_000]);
        return random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
    }

    private static int TensorIndex(HeaderText header, Random random)
    {
        List<int> tensors = Enumerable.Range(0, header.Members.Count).Where(i => header.Members[i].Key != "\"__metadata__\"" && header.Members[i].Fields is not null).ToList();
        return tensors.Count == 0 ? -1 : tensors[random.Next(tensors.Count)];
    }

    private int[] RealShape(Random random)
    {
        int i = TensorIndex(_header, random);
        return JsonSerializer.Deserialize<int[]>(_header.Members[i].Fields!.First(f => f.Key == "\"shape\"").Value)!;
    }

    private static byte[] Assemble(byte[] header, byte[] data, ulong? headerLength)
    {
        byte[] bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    private static T Pick<T>(Random random, T[] options) => options[random.Next(options.Length)];

    private static string Short(string text) => text.Length <= 40 ? text : text[..40] + $"...({text.Length} chars)";
}
