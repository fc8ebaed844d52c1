using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using Xunit;

namespace Dsl.Tests.Data;

/// <summary>
/// Damages gzip data files in seeded random ways: each must load exactly the original data or
/// fail with an <see cref="InvalidDataException"/> naming the file, never another exception and
/// never different data.
/// </summary>
public sealed class DataFileMutationTests : IDisposable
{
    private const int Mutants = 300;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void DamagedGzipCsvLoadsTheOriginalRowsOrIsRejected()
    {
        var text = new StringBuilder();
        var random = new Random(3);
        for (int i = 0; i < 400; i++)
            text.Append(random.Next(100)).Append(',').Append(random.Next(100)).Append(',').Append(random.Next(10)).Append('\n');
        byte[] good = Gzip(Encoding.UTF8.GetBytes(text.ToString()));
        string original = Write("original.csv.gz", good);
        float[] features = CsvDataset.Load(original).Features.ToArray();

        var options = new CsvOptions { MaxBytes = 1 << 20 };
        Run(good, "rows.csv.gz", path =>
        {
            CsvDataset loaded = CsvDataset.Load(path, options);
            Assert.Equal(features, loaded.Features.ToArray());
        });
    }

    [Fact]
    public void DamagedGzipIdxLoadsTheOriginalValuesOrIsRejected()
    {
        byte[] idx = [0, 0, 0x08, 3, 0, 0, 0, 50, 0, 0, 0, 8, 0, 0, 0, 8, .. Enumerable.Range(0, 3200).Select(i => (byte)(i * 7 % 256))];
        byte[] good = Gzip(idx);
        var options = new DataFileOptions { MaxBytes = 1 << 20 };
        Run(good, "images.idx.gz", path => Assert.Equal(idx[16..], (byte[])IdxFile.Read(path, options).Data));
    }

    private void Run(byte[] good, string name, Action<string> load)
    {
        var random = new Random(11);
        string path = Path.Combine(_directory.Path, name);
        int rejected = 0;
        for (int trial = 0; trial < Mutants; trial++)
        {
            byte[] bytes = Mutate(good, random);
            File.WriteAllBytes(path, bytes);
            try
            {
                load(path);
            }
            catch (InvalidDataException e)
            {
                Assert.True(e.Message.StartsWith(name + ": ", StringComparison.Ordinal) || e.Message.StartsWith(name + " ", StringComparison.Ordinal), $"trial {trial}: {e.Message}");
                // The framework's wording for every zlib data error, a CRC mismatch included: it names no real cause.
                Assert.DoesNotContain("unsupported compression method", e.Message);
                rejected++;
            }
        }

        Assert.True(rejected > Mutants / 2, $"only {rejected} of {Mutants} damaged files were rejected");
    }

    private static byte[] Mutate(byte[] good, Random random)
    {
        var bytes = good.ToList();
        switch (random.Next(5))
        {
            case 0:
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                    bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                int at = random.Next(bytes.Count);
                bytes.RemoveRange(at, Math.Min(random.Next(1, 9), bytes.Count - at));
                break;
            case 2:
                int cut = random.Next(bytes.Count);
                bytes.RemoveRange(cut, bytes.Count - cut);
                break;
            case 3:
                bytes.AddRange(random.Next(2) == 0 ? good : Enumerable.Range(0, random.Next(1, 20)).Select(_ => (byte)random.Next(256)));
                break;
            default:
                bytes.InsertRange(random.Next(bytes.Count), Enumerable.Range(0, random.Next(1, 9)).Select(_ => (byte)random.Next(256)));
                break;
        }

        return bytes.ToArray();
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal))
            gzip.Write(bytes);
        return memory.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
