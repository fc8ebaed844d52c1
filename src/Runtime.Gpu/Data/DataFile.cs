using System;
using System.IO;

namespace Dsl.Data;

/// <summary>Opens data files, decompressing gzip ones.</summary>
internal static class DataFile
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading, through a <see cref="CheckedGZipStream"/> when the
    /// file starts with gzip's magic bytes. Sniffing rather than trusting the extension also reads a
    /// <c>.gz</c> that a browser already unpacked, and a compressed file that lost its extension.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>A stream of the (decompressed) contents.</returns>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static Stream Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        if (read == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            try
            {
                return new CheckedGZipStream(file, Path.GetFileName(path));
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        return file;
    }

    /// <summary>Reads the whole (decompressed) contents of <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="InvalidDataException">The gzip data is corrupt or truncated; the message names the file.</exception>
    public static byte[] ReadAllBytes(string path)
    {
        using Stream stream = Open(path);
        if (stream is FileStream file)
        {
            byte[] bytes = new byte[file.Length];
            file.ReadExactly(bytes);
            return bytes;
        }

        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
