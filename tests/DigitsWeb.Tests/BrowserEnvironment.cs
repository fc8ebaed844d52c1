using System;
using System.IO;
using Xunit;

namespace DigitsWeb.Tests;

/// <summary>
/// A fact that drives Debian's chromium. Where no chromium is found it runs and fails with the
/// install command, so CI cannot pass without it, unless <c>DSL_REQUIRE_BROWSER=0</c>, where it is
/// skipped with that reason (as <c>DSL_REQUIRE_OPENCL</c> does for the OpenCL tests).
/// </summary>
/// <remarks>Name test classes with "BrowserTests" so that <c>.ci/run</c> counts them.</remarks>
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when chromium is missing and not required.</summary>
    public BrowserFactAttribute()
    {
        if (BrowserEnvironment.Chromium is null && Environment.GetEnvironmentVariable(BrowserEnvironment.RequireVariable) == "0")
            Skip = BrowserEnvironment.Missing;
    }
}

/// <summary>Where chromium is. Playwright's own browser download is never used (nothing downloads at test time).</summary>
internal static class BrowserEnvironment
{
    /// <summary>Set to 0 to let the browser tests skip where chromium is missing.</summary>
    public const string RequireVariable = "DSL_REQUIRE_BROWSER";

    /// <summary>Names a Chromium binary other than the one on PATH.</summary>
    public const string PathVariable = "DSL_CHROMIUM";

    private static readonly Lazy<string?> Found = new(Find);

    /// <summary>The chromium binary, or null.</summary>
    public static string? Chromium => Found.Value;

    /// <summary>Why the browser tests cannot run here.</summary>
    public static string Missing =>
        $"no chromium: install Debian's with `apt-get install -y chromium` (.ci/run does), or set {PathVariable} to a Chromium binary; " +
        $"{RequireVariable}=0 skips the browser tests instead";

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } given)
            return File.Exists(given) ? given : null;
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in new[] { "chromium", "chromium-browser" })
            {
                string candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                    return candidate;
            }
        }

        return null;
    }
}
