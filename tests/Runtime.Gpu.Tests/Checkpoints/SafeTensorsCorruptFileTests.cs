using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Dsl.Tests.Checkpoints;

/// <summary>One test per way a safetensors file can be wrong: each must be an <see cref="InvalidDataException"/> naming the file and the defect.</summary>
public sealed class SafeTensorsCorruptFileTests : IDisposable
{
    private const string Good = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]}}";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dsl-st-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsCorruptFileTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TheWellFormedBaselineLoads()
    {
        // Every case below differs from this file in one respect only.
        SafeTensorsFile file = SafeTensors.Load(Write(Good, 16));
        Assert.Equal(["a", "b"], file.Keys);
    }

    [Fact]
    public void AFileShorterThanEightBytes()
    {
        string path = Path.Combine(_directory, "short.safetensors");
        File.WriteAllBytes(path, [1, 0, 0, 0, 0]);
        AssertInvalid(path, "the file is 5 bytes long; a safetensors file starts with an 8-byte header length.");
    }

    [Fact]
    public void AHeaderLengthLargerThanTheFile()
    {
        string path = Write(Good, 16, headerLength: 500);
        AssertInvalid(path, $"the header length field is 500 bytes but only {Good.Length + 16} bytes follow it; the file is truncated or not a safetensors file.");
    }

    [Fact]
    public void AHeaderLengthOverTheHundredMegabyteLimit()
    {
        string path = Write(Good, 16, headerLength: 100_000_001);
        AssertInvalid(path, "the header length field is 100000001 bytes, over the format's limit of 100000000; this is not a safetensors file or it is corrupt.");
    }

    [Fact]
    public void AHeaderThatIsNotUtf8()
    {
        byte[] header = Encoding.ASCII.GetBytes("{\"a?\":{}}");
        header[3] = 0xFF; // a byte that can start no UTF-8 sequence
        string path = WriteBytes(header, []);
        AssertInvalid(path, "the header is not valid UTF-8 (bad byte 0xFF at header offset 3); the format requires UTF-8 JSON.");
    }

    [Fact]
    public void AHeaderThatIsNotJson()
    {
        string path = Write("{\"a\":{\"dtype\":\"F32\",", 0);
        var thrown = AssertInvalid(path, "the header is not valid JSON (");
        Assert.IsAssignableFrom<JsonException>(thrown.InnerException);
    }

    [Fact]
    public void AHeaderThatIsNotAnObject()
    {
        AssertInvalid(Write("[1, 2]", 0), "the header is a JSON array; expected an object mapping tensor names to {\"dtype\", \"shape\", \"data_offsets\"}.");
    }

    [Fact]
    public void AnEntryThatIsNotAnObject()
    {
        AssertInvalid(Write("{\"a\":[0,8]}", 0), "tensor 'a' is described by a JSON array; expected an object with \"dtype\", \"shape\" and \"data_offsets\".");
    }

    [Fact]
    public void AnEntryWithoutDType()
    {
        AssertInvalid(Write(Good.Replace("\"dtype\":\"I64\",", ""), 16), "tensor 'b' has no \"dtype\"; expected a string such as \"F32\".");
    }

    [Fact]
    public void AnEntryWithoutShape()
    {
        AssertInvalid(Write(Good.Replace("\"shape\":[2],", ""), 16), "tensor 'a' has no \"shape\"; expected an array of non-negative integers.");
    }

    [Fact]
    public void AnEntryWithoutDataOffsets()
    {
        AssertInvalid(Write(Good.Replace(",\"data_offsets\":[8,16]", ""), 16), "tensor 'b' has no \"data_offsets\"; expected an array [begin, end] of two non-negative integers.");
    }

    [Fact]
    public void ADTypeThatIsNotAString()
    {
        AssertInvalid(Write(Good.Replace("\"F32\"", "32"), 16), "tensor 'a' has \"dtype\": 32, a JSON number; expected a string such as \"F32\".");
    }

    [Fact]
    public void AShapeThatIsNotAnArray()
    {
        AssertInvalid(Write(Good.Replace("[2]", "\"2\""), 16), "tensor 'a' has \"shape\": \"2\", a JSON string; expected an array of non-negative integers.");
    }

    [Fact]
    public void AShapeWithAFractionalDimension()
    {
        AssertInvalid(Write(Good.Replace("[2]", "[2.5]"), 16), "tensor 'a' has shape [2.5]: dimension 0 is 2.5; expected a non-negative integer.");
    }

    [Fact]
    public void DataOffsetsWithAStringElement()
    {
        AssertInvalid(Write(Good.Replace("[8,16]", "[8,\"16\"]"), 16), "tensor 'b' has data_offsets [8,\"16\"]: element 1 is \"16\"; expected a non-negative integer.");
    }

    [Fact]
    public void DataOffsetsWithThreeElements()
    {
        AssertInvalid(Write(Good.Replace("[8,16]", "[8,16,24]"), 16), "tensor 'b' has data_offsets [8,16,24] with 3 elements; expected [begin, end].");
    }

    [Fact]
    public void AnUnknownDType()
    {
        AssertInvalid(Write(Good.Replace("\"I64\"", "\"F8_E4M3\""), 16), "tensor 'b' has unknown dtype \"F8_E4M3\"; expected one of BOOL, U8, I8, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64.");
    }

    [Fact]
    public void ADTypeInTheWrongCase()
    {
        AssertInvalid(Write(Good.Replace("\"F32\"", "\"f32\""), 16), "tensor 'a' has unknown dtype \"f32\"");
    }

    [Fact]
    public void ANegativeDimension()
    {
        AssertInvalid(Write(Good.Replace("[1]", "[-1]"), 16), "tensor 'b' has shape [-1]: dimension 0 is negative; expected a non-negative integer.");
    }

    [Fact]
    public void DataOffsetsThatDisagreeWithDTypeAndShape()
    {
        AssertInvalid(Write(Good.Replace("[2]", "[3]"), 16), "tensor 'a' has data_offsets [0, 8] (8 bytes) but its dtype F32 and shape [3] need 12 bytes.");
    }

    [Fact]
    public void DataOffsetsWithBeginAfterEnd()
    {
        AssertInvalid(Write(Good.Replace("[0,8]", "[8,0]"), 16), "tensor 'a' has data_offsets [8, 0]: begin is after end.");
    }

    [Fact]
    public void DataOffsetsOutsideTheBuffer()
    {
        string json = Good.Replace("[8,16]", "[800,808]");
        AssertInvalid(Write(json, 16), "tensor 'b' has data_offsets [800, 808], past the end of the data buffer (16 bytes follow the header); the file is truncated or the offsets are wrong.");
    }

    [Fact]
    public void AHoleBetweenTensors()
    {
        string json = Good.Replace("[8,16]", "[12,20]");
        AssertInvalid(Write(json, 20), "tensor 'b' has data_offsets [12, 20], which leaves 4 unused bytes after the end of tensor 'a' (offset 8); the tensors must tile the data buffer with no holes or overlaps, so it should begin at 8.");
    }

    [Fact]
    public void AHoleAtTheStartOfTheBuffer()
    {
        string json = Good.Replace("[0,8]", "[16,24]");
        AssertInvalid(Write(json, 24), "tensor 'b' has data_offsets [8, 16], which leaves 8 unused bytes after the start of the data buffer (offset 0)");
    }

    [Fact]
    public void OverlappingTensors()
    {
        string json = Good.Replace("[8,16]", "[4,12]");
        AssertInvalid(Write(json, 16), "tensor 'b' has data_offsets [4, 12], which overlaps tensor 'a' [0, 8]; the tensors must tile the data buffer with no holes or overlaps, so it should begin at 8.");
    }

    [Fact]
    public void TrailingBytesAfterTheLastTensor()
    {
        AssertInvalid(Write(Good, 20), "the tensors' data ends at offset 16 of the data buffer but 20 bytes follow the header; 4 trailing bytes belong to no tensor.");
    }

    [Fact]
    public void ARepeatedTensorName()
    {
        string json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]}}";
        AssertInvalid(Write(json, 16), "the header names 'a' more than once; tensor names must be unique.");
    }

    [Fact]
    public void AMetadataValueThatIsNotAString()
    {
        string json = "{\"__metadata__\":{\"format\":\"pt\",\"epoch\":3}," + Good[1..];
        AssertInvalid(Write(json, 16), "\"__metadata__\" key 'epoch' has a number value (3); the format allows only string values.");
    }

    [Fact]
    public void MetadataThatIsNotAnObject()
    {
        string json = "{\"__metadata__\":[\"pt\"]," + Good[1..];
        AssertInvalid(Write(json, 16), "\"__metadata__\" is a JSON array; expected an object of string keys and string values.");
    }

    [Theory]
    [InlineData("{\"a\\ud800\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "a\\ud800")]
    [InlineData("{\"__metadata__\":{\"\\udc00k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "\\udc00k")]
    [InlineData("{\"__metadata__\":{\"k\":\"v\\ud800\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "v\\ud800")]
    [InlineData("{\"a\":{\"dtype\":\"F3\\ud8002\",\"shape\":[2],\"data_offsets\":[0,8]}}", "F3\\ud8002")]
    [InlineData("{\"a\":{\"dtype\\ud800\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "dtype\\ud800")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"note\":\"\\udfff\"}}", "\\udfff")]
    public void ALoneSurrogateEscapeAnywhereInTheHeader(string json, string escaped)
    {
        // Valid UTF-8 and valid JSON syntax, but "\ud800" alone decodes to no character: System.Text.Json
        // reports it only when the string is decoded (a lookup by name decodes the keys it passes), as an
        // InvalidOperationException. The reference reader rejects it anywhere, even in a field it ignores.
        int offset = json.IndexOf('"' + escaped + '"', StringComparison.Ordinal);
        AssertInvalid(Write(json, 8), $"the header's JSON string \"{escaped}\" (at header offset {offset}) contains a lone UTF-16 surrogate escape (\\uD800 to \\uDFFF without its pair), which is not text; expected valid JSON strings.");
    }

    [Fact]
    public void ATruncatedFile()
    {
        string path = Path.Combine(_directory, "full.safetensors");
        SafeTensors.Save(path, [SafeTensor.FromFloats("w", [4], [1, 2, 3, 4]), SafeTensor.FromFloats("v", [2], [5, 6])]);
        byte[] bytes = File.ReadAllBytes(path);
        string truncated = Path.Combine(_directory, "truncated.safetensors");
        File.WriteAllBytes(truncated, bytes[..^3]);
        AssertInvalid(truncated, "tensor 'v' has data_offsets [16, 24], past the end of the data buffer (21 bytes follow the header); the file is truncated or the offsets are wrong.");
    }

    private static InvalidDataException AssertInvalid(string path, string expected)
    {
        var thrown = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.StartsWith($"{path}: {expected}", thrown.Message);
        return thrown;
    }

    private string Write(string json, int bufferLength, ulong? headerLength = null) =>
        WriteBytes(Encoding.UTF8.GetBytes(json), new byte[bufferLength], headerLength);

    private string WriteBytes(byte[] header, byte[] buffer, ulong? headerLength = null)
    {
        var bytes = new byte[8 + header.Length + buffer.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        buffer.CopyTo(bytes, 8 + header.Length);
        string path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
