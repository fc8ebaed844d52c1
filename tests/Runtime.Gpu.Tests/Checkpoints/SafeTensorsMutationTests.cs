using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace Dsl.Tests.Checkpoints;

/// <summary>
/// Damages a valid file in many seeded random ways: every result must either load or fail with an
/// <see cref="InvalidDataException"/> naming the file, never with an index, JSON, overflow or
/// encoding exception.
/// </summary>
public sealed class SafeTensorsMutationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dsl-st-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsMutationTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void RandomDamageOnlyEverGivesInvalidDataException()
    {
        string original = Path.Combine(_directory, "original.safetensors");
        SafeTensors.Save(original,
            [SafeTensor.FromFloats("w", [2, 3], [1, 2, 3, 4, 5, 6]), SafeTensor.FromInt64s("n", [1], [7]), SafeTensor.FromFloats("e", [0], [])],
            new Dictionary<string, string> { ["format"] = "pt" });
        byte[] good = File.ReadAllBytes(original);
        byte[][] splices = [.. Array.ConvertAll(
            new[] { "\\uD800", "1e400", "-0", "null", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "18446744073709551616", "\"", "{}", "\u00e9", "9223372036854775807" },
            Encoding.UTF8.GetBytes), [0xFF], [0xC3], [0x00]];
        var random = new Random(1234);
        string path = Path.Combine(_directory, "damaged.safetensors");
        int rejected = 0;
        for (int trial = 0; trial < 1000; trial++)
        {
            var bytes = new List<byte>(good);
            for (int edits = random.Next(1, 4); edits > 0; edits--)
            {
                int at = random.Next(bytes.Count);
                switch (random.Next(4))
                {
                    case 0: bytes[at] = (byte)random.Next(256); break;
                    case 1: bytes.RemoveRange(at, Math.Min(random.Next(1, 9), bytes.Count - at)); break;
                    case 2: bytes.InsertRange(at, splices[random.Next(splices.Length)]); break;
                    default: bytes.RemoveRange(at, bytes.Count - at); break;
                }

                if (bytes.Count == 0)
                    break;
            }

            File.WriteAllBytes(path, bytes.ToArray());
            try
            {
                SafeTensors.Load(path);
            }
            catch (InvalidDataException e)
            {
                Assert.StartsWith(path + ": ", e.Message);
                rejected++;
            }
        }

        Assert.True(rejected >= 900, $"only {rejected} of 1000 damaged files were rejected"); // most damage must be caught, not silently accepted
    }
}
