using System;
using System.Globalization;
using System.IO;

namespace Dsl.Logging;

/// <summary>
/// Lightning's run-directory scheme, shared by the file loggers: <c>saveDirectory/name/version_N</c>,
/// where N, when not given, is one more than the largest existing <c>version_*</c> number (0 when
/// there is none), so every run gets a fresh directory and earlier runs are never overwritten.
/// </summary>
internal static class RunDirectory
{
    private const string Prefix = "version_";

    /// <summary>Works out the run directory and creates it.</summary>
    /// <param name="saveDirectory">The root of all runs.</param>
    /// <param name="name">The experiment's name; empty puts the versions directly under <paramref name="saveDirectory"/>, as Lightning does.</param>
    /// <param name="version">The version to use, or null for the next free one.</param>
    /// <returns>The full path of the (now existing) run directory.</returns>
    public static string Create(string saveDirectory, string name, int? version)
    {
        ArgumentException.ThrowIfNullOrEmpty(saveDirectory);
        ArgumentNullException.ThrowIfNull(name);
        if (version < 0)
            throw new ArgumentOutOfRangeException(nameof(version), version, "A run version cannot be negative.");
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")
            throw new ArgumentException($"The experiment name '{name}' is not a valid directory name.", nameof(name));

        string root = Path.GetFullPath(name.Length == 0 ? saveDirectory : Path.Combine(saveDirectory, name));
        int number = version ?? NextVersion(root);
        string directory = Path.Combine(root, Prefix + number.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>One more than the largest <c>version_N</c> under <paramref name="root"/>, or 0.</summary>
    /// <param name="root">The experiment directory, which may not exist yet.</param>
    /// <returns>The next version number.</returns>
    public static int NextVersion(string root)
    {
        if (!Directory.Exists(root))
            return 0;
        int next = 0;
        foreach (string path in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            // Lightning ignores names like version_a or version_1_old; so do we.
            string suffix = Path.GetFileName(path)[Prefix.Length..];
            if (suffix.Length > 0 && IsDigits(suffix)
                && int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out int existing)
                && existing >= next)
                next = existing + 1;
        }

        return next;
    }

    private static bool IsDigits(string text)
    {
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
                return false;
        }

        return true;
    }
}
