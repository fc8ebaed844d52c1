using System;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace Dsl.Tests.Data;

/// <summary>A fresh directory under the system temp folder, deleted with everything in it on Dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the directory.</summary>
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dsl-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/>, gzip-compressed when the name ends in .gz.</summary>
    public string Write(string name, byte[] bytes)
    {
        string path = System.IO.Path.Combine(Path, name);
        using FileStream file = File.Create(path);
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var gzip = new GZipStream(file, CompressionLevel.Optimal);
            gzip.Write(bytes);
        }
        else
        {
            file.Write(bytes);
        }

        return path;
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (gzip-compressed when the name ends in .gz).</summary>
    public string WriteText(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
