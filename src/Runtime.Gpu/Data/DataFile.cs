using System;
using System.IO;

namespace Dsl.Data;

/// <summary>Opens data files, decompressing gzip ones, within a size limit.</summary>
internal static class DataFile
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading, through a <see cref="CheckedGZipStream"/> when the
    /// file starts with gzip's magic bytes. Sniffing rather than trusting the extension also reads a
    /// <c>.gz</c> that a browser already unpacked, and a compressed file that lost its extension.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The most bytes the (decompressed) contents may hold.</param>
    /// <returns>A stream of the (decompressed) contents.</returns>
    /// <exception cref="FileNotFoundException">There is no such file, or the path is a directory.</exception>
    /// <exception cref="InvalidDataException">The file is over <paramref name="maxBytes"/> or its gzip header is invalid.</exception>
    public static Stream Open(string path, long maxBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (Directory.Exists(path))
            throw new FileNotFoundException($"Data file '{path}' is a directory, not a file.", path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        string name = Path.GetFileName(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            if (read == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
                return new CheckedGZipStream(file, name, maxBytes);
            if (file.Length > maxBytes)
                throw new InvalidDataException($"{name}: the file is {file.Length} bytes, over the limit of {maxBytes} (MaxBytes in the options); raise the limit if the file is genuine.");
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> and runs <paramref name="parse"/> over its contents. When the
    /// parser rejects the contents of a gzip file, the rest of the gzip data is checked first, so a
    /// damaged file is reported as damaged rather than as the odd contents it decodes to.
    /// </summary>
    /// <typeparam name="T">What the parser makes.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The most bytes the (decompressed) contents may hold.</param>
    /// <param name="parse">Reads the contents; it must read to the end, which checks the gzip trailer.</param>
    /// <returns>What the parser made.</returns>
    public static T Parse<T>(string path, long maxBytes, Func<Stream, T> parse)
    {
        using Stream stream = Open(path, maxBytes);
        try
        {
            return parse(stream);
        }
        catch (InvalidDataException) when (stream is CheckedGZipStream gzip)
        {
            gzip.ThrowIfDamaged();
            throw;
        }
    }

    /// <summary>Reads the whole (decompressed) contents of <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The most bytes the contents may hold.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="InvalidDataException">The gzip data is damaged, or the contents exceed <paramref name="maxBytes"/>; the message names the file.</exception>
    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        // The bytes go into one array, so the limit can be no higher than an array's.
        using Stream stream = Open(path, Math.Min(maxBytes, Array.MaxLength));
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
