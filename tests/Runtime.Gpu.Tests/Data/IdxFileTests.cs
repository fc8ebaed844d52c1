using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using Xunit;

namespace Dsl.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>An IDX file: magic 0, 0, the type code, the rank, big-endian dimensions, then <paramref name="data"/> as given.</summary>
    private static byte[] Idx(byte type, int[] dimensions, byte[] data)
    {
        byte[] bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (int d = 0; d < dimensions.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dimensions[d]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    /// <summary>Three 2x2 "images" with pixels 0..11 and their labels 2, 0, 1.</summary>
    private (string Images, string Labels) Mnist(string suffix)
    {
        byte[] pixels = Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray();
        return (_directory.Write("images" + suffix, Idx(0x08, [3, 2, 2], pixels)),
                _directory.Write("labels" + suffix, Idx(0x08, [3], [2, 0, 1])));
    }

    [Theory]
    [InlineData(".idx")]
    [InlineData(".idx.gz")]
    public void ReadsUnsignedBytes(string suffix)
    {
        IdxArray array = IdxFile.Read(Mnist(suffix).Images);
        Assert.Equal(IdxElementType.UInt8, array.ElementType);
        Assert.Equal(new[] { 3, 2, 2 }, array.Dimensions);
        Assert.Equal(12, array.Length);
        Assert.Equal((byte)220, ((byte[])array.Data)[11]);
        Assert.Equal(new[] { 0f, 10, 20 }, array.ToFloats(0.5f)[..3]);
    }

    [Fact]
    public void ReadsBigEndianIntegersAndFloats()
    {
        byte[] ints = new byte[8], shorts = new byte[4], floats = new byte[8], doubles = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(ints, -5);
        BinaryPrimitives.WriteInt32BigEndian(ints.AsSpan(4), 70000);
        BinaryPrimitives.WriteInt16BigEndian(shorts, -300);
        BinaryPrimitives.WriteInt16BigEndian(shorts.AsSpan(2), 7);
        BinaryPrimitives.WriteSingleBigEndian(floats, 1.5f);
        BinaryPrimitives.WriteSingleBigEndian(floats.AsSpan(4), -2.25f);
        BinaryPrimitives.WriteDoubleBigEndian(doubles, 0.125);

        Assert.Equal(new[] { -5, 70000 }, IdxFile.Read(_directory.Write("i.idx", Idx(0x0C, [2], ints))).ToInt32s());
        Assert.Equal(new[] { -300, 7 }, IdxFile.Read(_directory.Write("s.idx", Idx(0x0B, [2], shorts))).ToInt32s());
        Assert.Equal(new[] { -1, 3 }, IdxFile.Read(_directory.Write("b.idx", Idx(0x09, [2], [0xFF, 3]))).ToInt32s());
        IdxArray single = IdxFile.Read(_directory.Write("f.idx", Idx(0x0D, [1, 2], floats)));
        Assert.Equal(new[] { 1.5f, -2.25f }, (float[])single.Data);
        Assert.Equal(new[] { 0.125f }, IdxFile.Read(_directory.Write("d.idx", Idx(0x0E, [1], doubles))).ToFloats());
    }

    [Fact]
    public void LoadsImagesAndLabelsAsADataset()
    {
        var (images, labels) = Mnist(".idx.gz");
        IdxDataset data = IdxDataset.Load(images, labels);
        Assert.Equal(3, data.Count);
        Assert.Equal(new ColumnInfo("x", ColumnType.Float32, [4]), data.Columns[0]);
        Assert.Equal(new[] { 2, 2 }, data.ImageShape);
        Assert.Equal("images.idx.gz, image 1", data.DescribeExample(1));
        var batch = new Batch(data.Columns, 2);
        data.Fill([2, 0], batch);
        Assert.Equal(new[] { 160, 180, 200, 220, 0, 20, 40, 60 }.Select(p => p * (1f / 255)), batch.Floats(0).ToArray());
        Assert.Equal(new[] { 1, 2 }, batch.Ints(1).ToArray());
    }

    [Fact]
    public void DifferentImageAndLabelCountsNameBothFiles()
    {
        string images = Mnist(".idx").Images;
        string labels = _directory.Write("four-labels.idx", Idx(0x08, [4], [1, 2, 3, 4]));
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(images, labels));
        Assert.Equal("images.idx holds 3 images but four-labels.idx holds 4 labels.", e.Message);
    }

    [Fact]
    public void ABadMagicIsReported()
    {
        byte[] bytes = Idx(0x08, [1], [1]);
        bytes[1] = 8;
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(_directory.Write("bad.idx", bytes)));
        Assert.Equal("bad.idx: not an IDX file: it starts with 0x00 0x08 where IDX has the magic bytes 0x00 0x00.", e.Message);
    }

    [Fact]
    public void AnUnknownTypeCodeIsReported()
    {
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(_directory.Write("t.idx", Idx(0x0A, [1], [1]))));
        Assert.Equal("t.idx: type code 0x0A is not an IDX type (0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E).", e.Message);
    }

    [Fact]
    public void TruncatedDataNamesExpectedAndActualBytes()
    {
        // A gzip file that decompresses fine but holds one pixel short.
        string path = _directory.Write("train-images.idx3-ubyte.gz", Idx(0x08, [3, 2, 2], new byte[11]));
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Equal("train-images.idx3-ubyte.gz: truncated: 3 x 2 x 2 UInt8 values need 28 bytes but the file holds 27.", e.Message);
    }

    [Fact]
    public void ATruncatedHeaderIsReported()
    {
        byte[] bytes = Idx(0x08, [3, 2, 2], [])[..10];
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(_directory.Write("h.idx", bytes)));
        Assert.Equal("h.idx: truncated: a header of 3 dimensions needs 16 bytes but the file holds 10.", e.Message);
    }

    [Fact]
    public void BytesAfterTheDataAreReported()
    {
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(_directory.Write("long.idx", Idx(0x0C, [1], new byte[6]))));
        Assert.Equal("long.idx: 1 Int32 values need 12 bytes but the file holds 14; the 2 bytes after them are not IDX data.", e.Message);
    }

    [Fact]
    public void ADeclaredSizeOverTheLimitIsRejectedBeforeInflating()
    {
        // A 64 KiB gzip of zeros that declares 2100 x 1000 x 1000 bytes (2.1 GB): read as it comes,
        // it would inflate 64 MiB into memory before finding it short; the header alone is enough.
        string path = Path.Combine(_directory.Path, "bomb-images.idx.gz");
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(Idx(0x08, [2100, 1000, 1000], []));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++)
                gzip.Write(zeros);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("bomb-images.idx.gz: the header declares 2100 x 1000 x 1000 UInt8 values, 2100000016 bytes, over the limit of 1073741824 (DataFileOptions.MaxBytes); raise the limit if the file is genuine.", e.Message);
        Assert.True(allocated < 4 << 20, $"reading the header allocated {allocated} bytes");
    }

    [Fact]
    public void ADirectoryIsNamedAsADirectory()
    {
        var e = Assert.Throws<FileNotFoundException>(() => IdxFile.Read(_directory.Path));
        Assert.Equal($"Data file '{_directory.Path}' is a directory, not a file.", e.Message);
    }

    [Fact]
    public void FloatLabelsAreRejected()
    {
        string images = Mnist(".idx").Images;
        string labels = _directory.Write("float-labels.idx", Idx(0x0D, [3], new byte[12]));
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(images, labels));
        Assert.Equal("float-labels.idx: labels are Float32; expected an integer type.", e.Message);
    }
}
