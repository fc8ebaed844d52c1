using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Dsl.Tests.IO;

/// <summary>
/// A write killed mid-way leaves its temp file; the name must say whose it is, so that the next
/// run in the folder removes exactly these and never another program's <c>*.tmp</c>.
/// </summary>
public sealed class AtomicFileTempTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dsl-atomic-temp-" + Guid.NewGuid().ToString("N"));

    public AtomicFileTempTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TheTempFileIsHiddenAndNamedForTheTargetWithADistinctiveSuffix()
    {
        string[]? during = null;
        AtomicFile.Write(Path.Combine(_directory, "last.safetensors"), stream =>
        {
            stream.WriteByte(1);
            during = Directory.GetFiles(_directory).Select(Path.GetFileName).ToArray()!;
        });

        string temp = Assert.Single(during!);
        Assert.Matches(new Regex(@"^\.last\.safetensors\.[0-9a-f]{12}\.dsl-tmp$"), temp);
    }

    [Fact]
    public void OnlyAbandonedTempFilesOfAtomicFileAreDeleted()
    {
        string[] abandoned = [".last.safetensors.0123456789ab.dsl-tmp", ".epoch=1-step=12.safetensors.a1b2c3d4e5f6.dsl-tmp"];
        string[] foreign =
        [
            "download.tmp", "last.safetensors.0123456789ab.tmp", ".notes.dsl-tmp", ".x.0123456789AB.dsl-tmp",
            ".x.0123456789ab.dsl-tmp.bak", "x.0123456789ab.dsl-tmp", "last.safetensors",
        ];
        foreach (string name in abandoned.Concat(foreign))
            File.WriteAllText(Path.Combine(_directory, name), name);
        Directory.CreateDirectory(Path.Combine(_directory, ".dir.0123456789ab.dsl-tmp"));

        Assert.Equal(2, AtomicFile.DeleteAbandonedTempFiles(_directory));

        Assert.Equal(foreign.Order(StringComparer.Ordinal), Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(Directory.Exists(Path.Combine(_directory, ".dir.0123456789ab.dsl-tmp")));
    }

    [Fact]
    public void ATempFileAWriterStillHoldsIsKept()
    {
        string live = Path.Combine(_directory, ".last.safetensors.0123456789ab.dsl-tmp");
        using (var writer = new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            writer.WriteByte(1);
            Assert.Equal(0, AtomicFile.DeleteAbandonedTempFiles(_directory));
            Assert.True(File.Exists(live));
        }

        Assert.Equal(1, AtomicFile.DeleteAbandonedTempFiles(_directory));
        Assert.False(File.Exists(live));
    }

    [Fact]
    public void TheNextWriteOfAFileRemovesTheTempFilesItsKilledWritesLeft()
    {
        string own = Path.Combine(_directory, ".last.safetensors.0123456789ab.dsl-tmp");
        string other = Path.Combine(_directory, ".epoch=1-step=12.safetensors.0123456789ab.dsl-tmp");
        File.WriteAllText(own, "left by a killed write of last.safetensors");
        File.WriteAllText(other, "left by a killed write of another file");

        AtomicFile.WriteAllText(Path.Combine(_directory, "last.safetensors"), "new");

        Assert.False(File.Exists(own));
        Assert.True(File.Exists(other));
    }

    [Fact]
    public void AMissingFolderHasNothingToDelete() =>
        Assert.Equal(0, AtomicFile.DeleteAbandonedTempFiles(Path.Combine(_directory, "missing")));
}
