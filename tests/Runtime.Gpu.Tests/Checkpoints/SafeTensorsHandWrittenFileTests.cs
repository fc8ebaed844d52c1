using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace Dsl.Tests.Checkpoints;

/// <summary>
/// Reads a file whose bytes the test lays out itself the way the reference writer does
/// (<c>safetensors.torch.save_file</c>): compact JSON, metadata first, tensors ordered by
/// alignment then name, header padded with spaces.
/// </summary>
public sealed class SafeTensorsHandWrittenFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dsl-st-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsHandWrittenFileTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ReadsAFileLaidOutAsPyTorchsSafetensorsWritesIt()
    {
        // torch.tensor([[0.5, -1.25]], dtype=torch.float64), torch.tensor([3, -4], dtype=torch.int64),
        // torch.tensor([1.0, -2.5, 3.140625], dtype=torch.bfloat16).
        var buffer = new byte[16 + 16 + 6];
        BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(0), 0.5);
        BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(8), -1.25);
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(16), 3);
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(24), -4);
        byte[] bf16 = [0x80, 0x3F, 0x20, 0xC0, 0x49, 0x40];
        bf16.CopyTo(buffer, 32);

        string json = "{\"__metadata__\":{\"format\":\"pt\"}," +
            "\"decoder.scale\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[0,16]}," +
            "\"position_ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[16,32]}," +
            "\"embed.bf16\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[32,38]}}";
        byte[] header = Encoding.UTF8.GetBytes(json.PadRight((json.Length + 7) / 8 * 8));
        Assert.Equal(0, header.Length % 8);
        var bytes = new byte[8 + header.Length + buffer.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        buffer.CopyTo(bytes, 8 + header.Length);
        string path = Path.Combine(_directory, "from_torch.safetensors");
        File.WriteAllBytes(path, bytes);

        SafeTensorsFile file = SafeTensors.Load(path);

        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt" }, file.Metadata);
        Assert.Equal(["decoder.scale", "position_ids", "embed.bf16"], file.Keys);
        Assert.Equal(SafeTensorsDType.F64, file["decoder.scale"].DType);
        Assert.Equal([1, 2], file["decoder.scale"].Shape);
        Assert.Equal([0.5f, -1.25f], file["decoder.scale"].ToFloats());
        Assert.Equal(SafeTensorsDType.I64, file["position_ids"].DType);
        Assert.Equal([3L, -4], file["position_ids"].ToInt64s());
        Assert.Equal(SafeTensorsDType.BF16, file["embed.bf16"].DType);
        Assert.Equal([1f, -2.5f, 3.140625f], file["embed.bf16"].ToFloats());
        Assert.Equal(bf16, file["embed.bf16"].Data.ToArray());
    }

    [Fact]
    public void AcceptsAHeaderWithoutPaddingAndWithWhitespace()
    {
        // Padding is a writer's courtesy, not a reader's requirement; JSON whitespace is allowed anywhere.
        string json = "{ \"x\" : { \"dtype\" : \"U8\", \"shape\" : [ 3 ], \"data_offsets\" : [ 0, 3 ], \"extra\": 1 } }";
        byte[] header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + 3];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        bytes[^3] = 1;
        bytes[^2] = 2;
        bytes[^1] = 3;
        string path = Path.Combine(_directory, "loose.safetensors");
        File.WriteAllBytes(path, bytes);

        SafeTensorsFile file = SafeTensors.Load(path);
        Assert.Equal([1L, 2, 3], file["x"].ToInt64s());
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void ZeroSizeTensorsMayShareAnOffset()
    {
        string json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"c\":{\"dtype\":\"I64\",\"shape\":[2,0],\"data_offsets\":[4,4]}}";
        byte[] header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + header.Length), 6f);
        string path = Path.Combine(_directory, "empty.safetensors");
        File.WriteAllBytes(path, bytes);

        SafeTensorsFile file = SafeTensors.Load(path);
        Assert.Equal(["a", "b", "c"], file.Keys);
        Assert.Equal([6f], file["b"].ToFloats());
        Assert.Equal(0, file["c"].ElementCount);
    }
}
