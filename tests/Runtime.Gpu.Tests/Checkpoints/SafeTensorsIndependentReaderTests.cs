using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Dsl.Tests.Checkpoints;

/// <summary>
/// Parses files written by <see cref="SafeTensors.Save"/> with a few lines that follow the
/// specification directly, not with the project's reader, so a bug shared by our writer and
/// reader cannot hide.
/// </summary>
public sealed class SafeTensorsIndependentReaderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dsl-st-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsIndependentReaderTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AFileWeWriteFollowsTheSpecification()
    {
        float[] weight = [0.1f, -0f, float.NaN, float.PositiveInfinity, 1e-45f, 3.4028235e38f];
        float[] bias = [7f, 8f, 9f];
        long[] steps = [42, -1];
        string path = Path.Combine(_directory, "spec.safetensors");
        SafeTensors.Save(path,
            [SafeTensor.FromFloats("layer.weight", [3, 2], weight), SafeTensor.FromFloats("layer.bias", [3], bias), SafeTensor.FromInt64s("steps", [2], steps)],
            new Dictionary<string, string> { ["format"] = "pt" });

        byte[] file = File.ReadAllBytes(path);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0UL, (8 + n) % 8);
        byte[] header = file[8..(8 + (int)n)];
        string text = Encoding.UTF8.GetString(header);
        string json = text.TrimEnd(' ');
        Assert.True(text.Length - json.Length < 8, "at most 7 padding spaces");
        Assert.EndsWith("}", json);
        byte[] buffer = file[(8 + (int)n)..];

        using JsonDocument document = JsonDocument.Parse(header);
        JsonProperty[] entries = document.RootElement.EnumerateObject().ToArray();
        Assert.Equal(["__metadata__", "layer.weight", "layer.bias", "steps"], entries.Select(e => e.Name));
        Assert.Equal("pt", entries[0].Value.GetProperty("format").GetString());
        Assert.Single(entries[0].Value.EnumerateObject());

        (string DType, int[] Shape, long Begin, long End) Describe(JsonElement e) => (
            e.GetProperty("dtype").GetString()!,
            e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray(),
            e.GetProperty("data_offsets")[0].GetInt64(),
            e.GetProperty("data_offsets")[1].GetInt64());

        var w = Describe(entries[1].Value);
        var b = Describe(entries[2].Value);
        var s = Describe(entries[3].Value);
        Assert.Equal(("F32", 0L, 24L), (w.DType, w.Begin, w.End));
        Assert.Equal([3, 2], w.Shape);
        Assert.Equal(("F32", 24L, 36L), (b.DType, b.Begin, b.End));
        Assert.Equal([3], b.Shape);
        Assert.Equal(("I64", 36L, 52L), (s.DType, s.Begin, s.End));
        Assert.Equal([2], s.Shape);
        Assert.Equal(52, buffer.Length);

        // Bit-exact: NaN, -0 and the subnormal must come back as the same bits.
        Assert.Equal(MemoryMarshal.Cast<float, int>(weight).ToArray(), MemoryMarshal.Cast<byte, int>(buffer.AsSpan(0, 24)).ToArray());
        Assert.Equal(bias, MemoryMarshal.Cast<byte, float>(buffer.AsSpan(24, 12)).ToArray());
        Assert.Equal(steps, MemoryMarshal.Cast<byte, long>(buffer.AsSpan(36, 16)).ToArray());
    }

    [Fact]
    public void TheHeaderIsPaddedToAMultipleOfEightForEveryLength()
    {
        // Names of growing length move the unpadded header length through every residue mod 8.
        for (int length = 1; length <= 8; length++)
        {
            string path = Path.Combine(_directory, $"pad{length}.safetensors");
            SafeTensors.Save(path, [SafeTensor.FromFloats(new string('n', length), [1], [1f])]);
            byte[] file = File.ReadAllBytes(path);
            int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
            Assert.Equal(0, n % 8);
            int unpadded = $"{{\"{new string('n', length)}\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}}}".Length;
            Assert.Equal(unpadded + (8 - unpadded % 8) % 8, n);
            Assert.All(file.AsSpan(8 + unpadded, n - unpadded).ToArray(), b => Assert.Equal((byte)' ', b));
            Assert.Equal(8 + n + 4, file.Length);
        }
    }
}
