using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using Xunit;

namespace Dsl.Tests.Data;

/// <summary>
/// One test per way a gzip data file can be damaged or extended: each is reported as what it
/// is, naming the file, never as a truncation, a CSV field count or an "unsupported compression
/// method".
/// </summary>
public sealed class GZipDamageTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TrailingGarbageAfterTheMemberIsNamedAsSuch()
    {
        byte[] gzip = Rows();
        string path = Write("tail.csv.gz", [.. gzip, .. "garbage!"u8.ToArray()]);
        Assert.Equal($"tail.csv.gz: 8 bytes that are not gzip data follow the gzip trailer, from byte {gzip.Length} (first byte 0x67); a gzip file ends with its trailer.", Fails(path).Message);
    }

    [Fact]
    public void LongTrailingGarbageIsLocatedExactly()
    {
        // More bytes than the tail the reader feeds one at a time: the end of the member is then found by a second pass.
        byte[] gzip = Rows();
        byte[] garbage = Enumerable.Repeat((byte)0x20, 5000).ToArray();
        string path = Write("long-tail.csv.gz", [.. gzip, .. garbage]);
        Assert.Equal($"long-tail.csv.gz: 5000 bytes that are not gzip data follow the gzip trailer, from byte {gzip.Length} (first byte 0x20); a gzip file ends with its trailer.", Fails(path).Message);
    }

    [Theory]
    [InlineData(1)] // a member of about 30 bytes: within the tail fed a byte at a time
    [InlineData(3000)] // kilobytes: the end of the first member is found by a second pass
    public void ASecondMemberIsRejectedNamingWhereItStarts(int rowsInSecondMember)
    {
        // Policy: single-member files only (see CheckedGZipStream); a second member is never read as more rows or a truncation.
        byte[] first = Rows();
        string path = Write("two.csv.gz", [.. first, .. Gzip(RowText(rowsInSecondMember, seed: 2))]);
        Assert.StartsWith($"two.csv.gz: a second gzip member starts at byte {first.Length} (concatenated gzip", Fails(path).Message);
    }

    [Fact]
    public void ACorruptCrcIsReportedAsACrcMismatch()
    {
        byte[] gzip = Rows();
        gzip[^8] ^= 0x01;
        var e = Fails(Write("crc.csv.gz", gzip));
        Assert.Matches(@"^crc\.csv\.gz: the gzip data is corrupt: its CRC-32 is 0x[0-9A-F]{8} but the trailer \(at byte \d+\) records 0x[0-9A-F]{8}\.$", e.Message);
    }

    [Fact]
    public void ACorruptSizeFieldIsReportedAsASizeMismatch()
    {
        byte[] gzip = Rows();
        gzip[^1] ^= 0x40;
        Assert.Contains("the gzip data is corrupt: it decompresses to ", Fails(Write("size.csv.gz", gzip)).Message);
    }

    [Fact]
    public void ACorruptMiddleByteIsReportedAsCorruptionNotAsBadRows()
    {
        // Each flip either breaks the deflate coding or decodes to other text; the text must not
        // be blamed (a field count, a non-number) before the CRC has been checked.
        byte[] good = Rows();
        for (int at = good.Length / 3; at < 2 * good.Length / 3; at += good.Length / 40)
        {
            byte[] bad = (byte[])good.Clone();
            bad[at] ^= 0x10;
            var e = Fails(Write($"flip{at}.csv.gz", bad));
            Assert.StartsWith($"flip{at}.csv.gz: the gzip data is corrupt: ", e.Message);
            Assert.DoesNotContain("unsupported compression method", e.Message);
        }
    }

    [Fact]
    public void ACutInsideTheTrailerIsATruncation()
    {
        byte[] gzip = Rows();
        var e = Fails(Write("cut-trailer.csv.gz", gzip[..^3]));
        Assert.StartsWith("cut-trailer.csv.gz: the gzip data is truncated: it ends after ", e.Message);
        Assert.Contains("only 5 of the 8 trailer bytes", e.Message);
    }

    [Fact]
    public void AHeaderWithExtraFieldNameAndCommentIsRead()
    {
        // GZipStream writes a bare 10-byte header; the optional fields (RFC 1952 2.3.1) are skipped as the format says.
        byte[] gzip = Rows();
        byte[] header = [0x1F, 0x8B, 8, 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3, 3, 0, (byte)'x', (byte)'y', (byte)'z', .. "rows.csv\0"u8.ToArray(), .. "a comment\0"u8.ToArray()];
        string path = Write("fields.csv.gz", [.. header, .. gzip[10..]]);
        Assert.Equal(3000, CsvDataset.Load(path).Count);
    }

    [Fact]
    public void AMethodOtherThanDeflateIsNamed()
    {
        byte[] gzip = Rows();
        gzip[2] = 7;
        Assert.Equal("m.csv.gz: the gzip header names compression method 7; gzip defines only 8 (deflate).", Fails(Write("m.csv.gz", gzip)).Message);
    }

    [Fact]
    public void IdxAndTextFilesReportTheSameDamage()
    {
        byte[] idx = [0, 0, 0x08, 1, 0, 0, 0, 3, 7, 8, 9];
        byte[] gzip = Gzip(idx);
        string idxPath = Write("labels.idx.gz", [.. gzip, .. gzip]);
        Assert.StartsWith($"labels.idx.gz: a second gzip member starts at byte {gzip.Length} ", Assert.Throws<InvalidDataException>(() => IdxFile.Read(idxPath)).Message);

        byte[] text = Gzip("to be or not to be"u8.ToArray());
        text[^8] ^= 0xFF;
        string textPath = Write("play.txt.gz", text);
        Assert.StartsWith("play.txt.gz: the gzip data is corrupt: its CRC-32 is ", Assert.Throws<InvalidDataException>(() => TextCorpus.Load(textPath)).Message);
    }

    [Fact]
    public void ACorruptIdxHeaderInsideGzipIsReportedAsCorruption()
    {
        // The flipped byte is a dimension: parsed as it decodes, the file would be "truncated".
        byte[] idx = [0, 0, 0x08, 1, 0, 0, 0, 3, 7, 8, 9];
        byte[] gzip = Gzip(idx);
        byte[] bad = Gzip([0, 0, 0x08, 1, 0, 0, 0, 4, 7, 8, 9]);
        gzip[^8..].CopyTo(bad, bad.Length - 8); // the trailer of the original: right size, wrong CRC
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(Write("dims.idx.gz", bad)));
        Assert.StartsWith("dims.idx.gz: the gzip data is corrupt: its CRC-32 is ", e.Message);
    }

    private static string RowText(int rows, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (int i = 0; i < rows; i++)
            text.Append(random.Next(1000)).Append(',').Append(random.Next(1000)).Append(',').Append(random.Next(10)).Append('\n');
        return text.ToString();
    }

    private static byte[] Rows() => Gzip(RowText(3000, seed: 1));

    private static byte[] Gzip(string text) => Gzip(Encoding.UTF8.GetBytes(text));

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

    private static InvalidDataException Fails(string path) => Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path));
}
