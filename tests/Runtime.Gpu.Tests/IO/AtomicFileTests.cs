using System;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace Dsl.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dsl-atomic-" + Guid.NewGuid().ToString("N"));

    public AtomicFileTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void WritesTheContent()
    {
        string path = Path.Combine(_directory, "out.bin");
        AtomicFile.Write(path, stream => stream.Write([1, 2, 3, 250]));
        Assert.Equal(new byte[] { 1, 2, 3, 250 }, File.ReadAllBytes(path));
        Assert.Equal(["out.bin"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void ReplacesAnExistingFile()
    {
        string path = Path.Combine(_directory, "out.txt");
        File.WriteAllText(path, "a much longer old content that must not survive in part");
        AtomicFile.WriteAllText(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void AFailedWriteLeavesTheOldFileIntactAndNoTempFile()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        File.WriteAllBytes(path, [9, 8, 7]);
        var thrown = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100_000]); // more than the stream's buffer, so bytes reach the temp file
            throw new InvalidOperationException("disk full (simulated)");
        }));

        Assert.Equal("disk full (simulated)", thrown.Message);
        Assert.Equal(new byte[] { 9, 8, 7 }, File.ReadAllBytes(path));
        Assert.Equal(["model.safetensors"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void AFailedFirstWriteCreatesNothing()
    {
        string path = Path.Combine(_directory, "new.bin");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(1);
            throw new IOException("simulated");
        }));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void CreatesMissingDirectories()
    {
        string path = Path.Combine(_directory, "runs", "run-1", "checkpoints", "last.txt");
        AtomicFile.WriteAllText(path, "ok");
        Assert.Equal("ok", File.ReadAllText(path));
    }

    [Fact]
    public void WriteAllTextIsUtf8WithoutAByteOrderMark()
    {
        string path = Path.Combine(_directory, "text.txt");
        AtomicFile.WriteAllText(path, "é");
        Assert.Equal(new byte[] { 0xC3, 0xA9 }, File.ReadAllBytes(path));
    }

    [Fact]
    public void RejectsAPathThatNamesADirectory()
    {
        var thrown = Assert.Throws<ArgumentException>(() => AtomicFile.WriteAllText(_directory + Path.DirectorySeparatorChar, "x"));
        Assert.Contains("names a directory", thrown.Message);
    }
}
