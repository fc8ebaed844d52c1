using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace Dsl;

/// <summary>
/// Replaces files atomically: readers (and a crash mid-write) see either the whole previous file
/// or the whole new one, never a half-written checkpoint or log.
/// </summary>
/// <remarks>
/// The content goes to <c>&lt;path&gt;.&lt;random&gt;.tmp</c> in the target's own directory (a rename is
/// only atomic within one file system), is flushed to disk, and is then renamed over the target.
/// </remarks>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Writes a file through <paramref name="write"/> and renames it over <paramref name="path"/>.
    /// On any exception the temporary file is deleted and the previous file at
    /// <paramref name="path"/>, if any, is left untouched.
    /// </summary>
    /// <param name="path">The file to create or replace; missing directories are created.</param>
    /// <param name="write">Writes the content. It must not dispose the stream it is given.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0)
            throw new ArgumentException($"'{path}' names a directory, not a file.", nameof(path));
        string directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);

        string temp = Path.Combine(directory, $"{fileName}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            // CreateNew: never reuse (and so corrupt) a temp file another writer is filling.
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                // Without this the rename can reach the disk before the data does, and a power
                // loss would leave an empty or partial file under the final name.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Atomically writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    /// <param name="path">The file to create or replace; missing directories are created.</param>
    /// <param name="text">The whole content.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes = Utf8NoBom.GetBytes(text);
        Write(path, stream => stream.Write(bytes));
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // The original exception matters more than a leftover temp file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
