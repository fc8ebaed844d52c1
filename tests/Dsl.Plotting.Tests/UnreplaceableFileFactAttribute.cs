using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace Dsl.Plotting.Tests;

/// <summary>
/// A fact that needs a file the test can make impossible to replace. As root (who ignores
/// permissions) that takes the immutable attribute (<c>chattr +i</c>): a container without the
/// CAP_LINUX_IMMUTABLE capability, or a file system without the attribute (tmpfs, overlayfs),
/// cannot set it, and there the test is skipped with the reason instead of failing on the machine.
/// </summary>
public sealed class UnreplaceableFileFactAttribute : FactAttribute
{
    /// <summary>Probes <c>chattr +i</c> on a scratch file when running as root on Unix.</summary>
    public UnreplaceableFileFactAttribute()
    {
        if (OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess)
            return;
        string probe = Path.Combine(Path.GetTempPath(), $"dsl-chattr-probe-{Guid.NewGuid():N}");
        File.WriteAllText(probe, "probe");
        try
        {
            if (Chattr("+i", probe) is { } error)
                Skip = $"As root, this test makes a file immutable (chattr +i) so that replacing it fails, and this machine refuses: {error}";
            else
                Chattr("-i", probe);
        }
        finally
        {
            File.Delete(probe);
        }
    }

    /// <summary>Runs chattr; returns null on success, else why it failed.</summary>
    internal static string? Chattr(string flag, string path)
    {
        try
        {
            using Process process = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"chattr {flag} exited with {process.ExitCode} ({error.Trim()})";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return "chattr could not be started (" + e.Message + ")";
        }
    }
}
