using System;
using System.IO;
using System.IO.Compression;
using Xunit;

namespace Dsl.Tests.Data;

/// <summary>The size limit is an input the caller sets: each loader stops at it, naming the file and the limit.</summary>
public sealed class DataFileLimitTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void IdxStopsAtTheCallersLimitBeforeAllocatingTheData()
    {
        // 4 MiB declared and really present (a 4 KiB gzip of zeros); a 1 MiB limit refuses it from the header.
        string path = _directory.Write("images.idx.gz", [0, 0, 0x08, 3, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 0, 4, .. new byte[4 << 20]]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path, new DataFileOptions { MaxBytes = 1 << 20 }));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("images.idx.gz: the header declares 1024 x 1024 x 4 UInt8 values, 4194320 bytes, over the limit of 1048576 (DataFileOptions.MaxBytes); raise the limit if the file is genuine.", e.Message);
        Assert.True(allocated < 1 << 20, $"refusing the file allocated {allocated} bytes");
        Assert.Equal(4 << 20, IdxFile.Read(path, new DataFileOptions { MaxBytes = 5 << 20 }).Length);
    }

    [Fact]
    public void AGzipIdxWhoseHeaderOverstatesItsDataAllocatesOnlyWhatIsThere()
    {
        // 100 MB declared, under the default limit, 12 bytes present: the gzip trailer's size
        // exposes the shortfall before the declared array is allocated (the streaming reader's
        // guard; the reader before it read all data first and so allocated little here too).
        string path = _directory.Write("short.idx.gz", [0, 0, 0x08, 3, 0, 0, 0, 100, 0, 0, 0x03, 0xE8, 0, 0, 0x03, 0xE8, .. new byte[12]]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("short.idx.gz: truncated: 100 x 1000 x 1000 UInt8 values need 100000016 bytes but the file holds 28.", e.Message);
        Assert.True(allocated < 1 << 20, $"refusing the file allocated {allocated} bytes");
    }

    [Fact]
    public void IdxDatasetPassesTheLimitToBothFiles()
    {
        string images = _directory.Write("i.idx", [0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 5, 6]);
        string labels = _directory.Write("l.idx", [0, 0, 0x08, 1, 0, 0, 0, 2, 1, 0]);
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(images, labels, options: new DataFileOptions { MaxBytes = 16 }));
        Assert.Equal("i.idx: the file is 18 bytes, over the limit of 16 (MaxBytes in the options); raise the limit if the file is genuine.", e.Message);
    }

    [Fact]
    public void CsvStopsInflatingAtTheLimit()
    {
        string path = _directory.WriteText("big.csv.gz", string.Concat(System.Linq.Enumerable.Repeat("1,2,3\n", 10_000)));
        var e = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, new CsvOptions { MaxBytes = 1000 }));
        Assert.Equal("big.csv.gz: the gzip data decompresses to more than 1000 bytes, the limit (MaxBytes in the options); raise the limit if the file is genuine.", e.Message);
    }

    [Fact]
    public void TextStopsAtTheLimitAndTheDefaultIsOneGibibyte()
    {
        Assert.Equal(1L << 30, new DataFileOptions().MaxBytes);
        Assert.Equal(1L << 30, new CsvOptions().MaxBytes);
        string path = _directory.WriteText("t.txt", "0123456789");
        var e = Assert.Throws<InvalidDataException>(() => TextCorpus.Load(path, new DataFileOptions { MaxBytes = 9 }));
        Assert.Equal("t.txt: the file is 10 bytes, over the limit of 9 (MaxBytes in the options); raise the limit if the file is genuine.", e.Message);
        Assert.Equal(10, TextCorpus.Load(path, new DataFileOptions { MaxBytes = 10 }).Length);
    }
}
