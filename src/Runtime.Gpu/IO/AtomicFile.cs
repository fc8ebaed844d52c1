using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Dsl;

/// <summary>
/// Replaces files atomically: readers (and a crash mid-write) see either the whole previous file
/// or the whole new one, never a half-written checkpoint or log.
/// </summary>
/// <remarks>
/// The content goes to <c>.&lt;name&gt;.&lt;random&gt;.dsl-tmp</c> in the target's own directory (a
/// rename is only atomic within one file system), is flushed to disk, and is then renamed over the
/// target. A process killed mid-write leaves that temp file behind; the name is distinctive so
/// that the next write of the same file, and <see cref="DeleteAbandonedTempFiles"/> for a whole
/// folder, remove exactly these and no one else's.
/// </remarks>
public static partial class AtomicFile
{
    private const string TempSuffix = ".dsl-tmp";
    private const int RandomBytes = 6;
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
        // A killed earlier write of this same file left its temp here; this is the next one.
        DeleteAbandoned(directory, $".{fileName}.*{TempSuffix}");

        string temp = Path.Combine(directory, $".{fileName}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomBytes))}{TempSuffix}");
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

    /// <summary>
    /// Deletes the temp files that writes into <paramref name="directory"/> left when their process
    /// was killed: files named <c>.&lt;name&gt;.&lt;12 hex digits&gt;.dsl-tmp</c>, as
    /// <see cref="Write"/> names them, and nothing else. A temp file another process is still
    /// writing is kept: its writer holds it locked.
    /// </summary>
    /// <param name="directory">The folder; nothing happens when it does not exist.</param>
    /// <returns>How many files were deleted.</returns>
    public static int DeleteAbandonedTempFiles(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return Directory.Exists(directory) ? DeleteAbandoned(directory, "*" + TempSuffix) : 0;
    }

    private static int DeleteAbandoned(string directory, string searchPattern)
    {
        int deleted = 0;
        foreach (string path in Directory.EnumerateFiles(directory, searchPattern))
        {
            if (TempName().IsMatch(Path.GetFileName(path)) && !IsBeingWritten(path))
            {
                TryDelete(path);
                deleted += File.Exists(path) ? 0 : 1;
            }
        }

        return deleted;
    }

    /// <summary>
    /// True when a live writer holds <paramref name="temp"/>: <see cref="Write"/> opens it with
    /// <see cref="FileShare.None"/>, which .NET enforces with an exclusive lock (flock on Unix)
    /// that the kernel drops when the process dies, so a killed writer's file opens and a live
    /// one's does not.
    /// </summary>
    private static bool IsBeingWritten(string temp)
    {
        try
        {
            using var probe = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return true; // not ours to delete either
        }
    }

    // What Write names its temp files: a dot, the target's name, RandomBytes as 12 hex digits, TempSuffix.
    [GeneratedRegex(@"^\..+\.[0-9a-f]{12}\.dsl-tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex TempName();

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
