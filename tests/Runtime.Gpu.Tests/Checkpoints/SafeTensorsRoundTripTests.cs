using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Dsl.Tests.Checkpoints;

public sealed class SafeTensorsRoundTripTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dsl-st-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsRoundTripTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TensorsAndMetadataSurviveARoundTrip()
    {
        string path = Path.Combine(_directory, "a.safetensors");
        float[] weights = [1.5f, -2.25f, float.NaN, float.NegativeInfinity, -0f, float.Epsilon];
        var bf16 = new SafeTensor("half.bf16", SafeTensorsDType.BF16, [2], new byte[] { 0x80, 0x3F, 0x00, 0xC0 }); // 1.0, -2.0
        var u8 = new SafeTensor("mask", SafeTensorsDType.U8, [3], new byte[] { 0, 7, 255 });
        SafeTensors.Save(path,
            [
                SafeTensor.FromFloats("z.weight", [2, 3], weights),
                SafeTensor.FromInt64s("step", [], [long.MinValue]),
                bf16,
                u8,
                SafeTensor.FromFloats("empty", [0, 4], []),
            ],
            new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\" + <b>" });

        SafeTensorsFile file = SafeTensors.Load(path);
        Assert.Equal(path, file.Path);
        Assert.Equal(["z.weight", "step", "half.bf16", "mask", "empty"], file.Keys);
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\" + <b>" }, file.Metadata);

        SafeTensor w = file["z.weight"];
        Assert.Equal(SafeTensorsDType.F32, w.DType);
        Assert.Equal([2, 3], w.Shape);
        Assert.Equal(6, w.ElementCount);
        Assert.Equal(weights.Select(BitConverter.SingleToInt32Bits), w.ToFloats().Select(BitConverter.SingleToInt32Bits));

        Assert.Empty(file["step"].Shape);
        Assert.Equal([long.MinValue], file["step"].ToInt64s());
        Assert.Equal([1f, -2f], file["half.bf16"].ToFloats());
        Assert.Equal([0L, 7, 255], file["mask"].ToInt64s());
        Assert.Equal([0, 4], file["empty"].Shape);
        Assert.Empty(file["empty"].ToFloats());
    }

    [Fact]
    public void WithoutMetadataTheHeaderHasNoMetadataEntry()
    {
        string path = Path.Combine(_directory, "plain.safetensors");
        SafeTensors.Save(path, [SafeTensor.FromFloats("x", [1], [3f])]);
        byte[] bytes = File.ReadAllBytes(path);
        string header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}  ", header); // 54 bytes of JSON + 2 spaces = 56
        Assert.Empty(SafeTensors.Load(path).Metadata);
    }

    [Fact]
    public void ConvertsF64F16AndBf16ToFloat()
    {
        var f64 = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(f64, 0.1);
        BinaryPrimitives.WriteDoubleLittleEndian(f64.AsSpan(8), -1e300);
        var f16 = new byte[6];
        BinaryPrimitives.WriteHalfLittleEndian(f16, (Half)0.5f);
        BinaryPrimitives.WriteHalfLittleEndian(f16.AsSpan(2), Half.MaxValue);
        BinaryPrimitives.WriteHalfLittleEndian(f16.AsSpan(4), Half.Epsilon);
        byte[] bf16 = [0x49, 0x40, 0x80, 0x7F]; // 0x4049 = 3.140625, 0x7F80 = +inf

        Assert.Equal([0.1f, float.NegativeInfinity], new SafeTensor("d", SafeTensorsDType.F64, [2], f64).ToFloats());
        Assert.Equal([0.5f, 65504f, 5.9604645e-8f], new SafeTensor("h", SafeTensorsDType.F16, [3], f16).ToFloats());
        Assert.Equal([3.140625f, float.PositiveInfinity], new SafeTensor("b", SafeTensorsDType.BF16, [2], bf16).ToFloats());
    }

    [Fact]
    public void ToFloatsOfAnIntegerTensorNamesTheTensorAndDType()
    {
        var thrown = Assert.Throws<InvalidOperationException>(() => SafeTensor.FromInt64s("labels", [2], [1, 2]).ToFloats());
        Assert.Equal("Tensor 'labels' has dtype I64; only F32, F64, F16 and BF16 tensors convert to float.", thrown.Message);
    }

    [Fact]
    public void ToInt64sOfAFloatTensorNamesTheTensorAndDType()
    {
        var thrown = Assert.Throws<InvalidOperationException>(() => SafeTensor.FromFloats("w", [1], [1f]).ToInt64s());
        Assert.Contains("Tensor 'w' has dtype F32", thrown.Message);
    }

    [Fact]
    public void ReadsEveryIntegerDType()
    {
        Assert.Equal([-1L, 127], new SafeTensor("a", SafeTensorsDType.I8, [2], new byte[] { 0xFF, 0x7F }).ToInt64s());
        Assert.Equal([-2L], new SafeTensor("b", SafeTensorsDType.I16, [1], new byte[] { 0xFE, 0xFF }).ToInt64s());
        Assert.Equal([65535L], new SafeTensor("c", SafeTensorsDType.U16, [1], new byte[] { 0xFF, 0xFF }).ToInt64s());
        Assert.Equal([-3L], new SafeTensor("d", SafeTensorsDType.I32, [1], new byte[] { 0xFD, 0xFF, 0xFF, 0xFF }).ToInt64s());
        Assert.Equal([4294967295L], new SafeTensor("e", SafeTensorsDType.U32, [1], new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }).ToInt64s());
        Assert.Equal([1L, 0], new SafeTensor("f", SafeTensorsDType.BOOL, [2], new byte[] { 1, 0 }).ToInt64s());
        var big = new SafeTensor("g", SafeTensorsDType.U64, [1], new byte[] { 0, 0, 0, 0, 0, 0, 0, 0x80 });
        Assert.Contains("Tensor 'g' (U64) element 0 is 9223372036854775808", Assert.Throws<InvalidOperationException>(() => big.ToInt64s()).Message);
    }

    [Fact]
    public void CopyToChecksTheLengthAndNamesTheTensor()
    {
        SafeTensor tensor = SafeTensor.FromFloats("hidden.bias", [4], [1, 2, 3, 4]);
        var thrown = Assert.Throws<ArgumentException>(() => tensor.CopyTo(new float[3]));
        Assert.StartsWith("Tensor 'hidden.bias' (shape [4]) has 4 elements but the destination holds 3.", thrown.Message);
        var destination = new float[4];
        tensor.CopyTo(destination);
        Assert.Equal([1f, 2, 3, 4], destination);
    }

    [Fact]
    public void FromFloatsChecksTheCountAgainstTheShape()
    {
        var thrown = Assert.Throws<ArgumentException>(() => SafeTensor.FromFloats("w", [2, 3], new float[5]));
        Assert.StartsWith("Tensor 'w' has shape [2, 3] (6 elements) but 5 values were given.", thrown.Message);
    }

    [Fact]
    public void TheConstructorChecksTheByteCount()
    {
        var thrown = Assert.Throws<ArgumentException>(() => new SafeTensor("w", SafeTensorsDType.F16, [3], new byte[4]));
        Assert.StartsWith("Tensor 'w' (F16, shape [3]) needs 6 bytes but got 4.", thrown.Message);
    }

    [Fact]
    public void TheConstructorRejectsNegativeDimensions()
    {
        var thrown = Assert.Throws<ArgumentException>(() => new SafeTensor("w", SafeTensorsDType.U8, [2, -1], Array.Empty<byte>()));
        Assert.StartsWith("Tensor 'w' has shape [2, -1]; dimension 1 is negative.", thrown.Message);
    }

    [Fact]
    public void SaveRejectsAnEmptyName()
    {
        string path = Path.Combine(_directory, "bad.safetensors");
        var thrown = Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [SafeTensor.FromFloats("", [1], [1f])]));
        Assert.StartsWith("Tensor 0 has an empty name.", thrown.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void SaveRejectsARepeatedName()
    {
        string path = Path.Combine(_directory, "bad.safetensors");
        var thrown = Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [SafeTensor.FromFloats("a", [1], [1f]), SafeTensor.FromFloats("a", [1], [2f])]));
        Assert.StartsWith("Tensor name 'a' appears more than once; names must be unique.", thrown.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void SaveRejectsTheReservedMetadataName()
    {
        string path = Path.Combine(_directory, "bad.safetensors");
        var thrown = Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [SafeTensor.FromFloats("__metadata__", [1], [1f])]));
        Assert.StartsWith("Tensor 0 is named '__metadata__', which the format reserves for the metadata.", thrown.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void AMissingTensorNamesTheFileAndSomeAvailableNames()
    {
        string path = Path.Combine(_directory, "names.safetensors");
        SafeTensors.Save(path, Enumerable.Range(0, 12).Select(i => SafeTensor.FromFloats($"t{i}", [1], [i])));
        SafeTensorsFile file = SafeTensors.Load(path);
        var thrown = Assert.Throws<KeyNotFoundException>(() => file["t99"]);
        Assert.Equal($"{path}: no tensor named 't99'. It has 12 tensors, among them 't0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', ...", thrown.Message);
        Assert.False(file.ContainsKey("t99"));
        Assert.True(file.TryGetValue("t11", out SafeTensor? t11));
        Assert.Equal([11f], t11!.ToFloats());
    }

    [Fact]
    public void TheShapeCannotBeChangedFromOutside()
    {
        SafeTensor tensor = SafeTensor.FromFloats("w", [2, 2], new float[4]);
        tensor.Shape[0] = 99;
        Assert.Equal([2, 2], tensor.Shape);
    }
}
