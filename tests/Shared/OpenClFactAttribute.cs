using System;
using Xunit;

namespace Dsl.Testing;

/// <summary>
/// A fact that needs an OpenCL device: skipped with "no OpenCL platform: &lt;reason&gt;" where
/// OpenCL is unavailable, unless <c>DSL_REQUIRE_OPENCL=1</c> (set by CI), where it runs and fails
/// with the reason, so that CI cannot pass without running it.
/// </summary>
/// <remarks>
/// Linked into every test project with OpenCL tests (<c>tests/Shared/</c>). Name test classes
/// with "OpenCl" so that <c>.ci/run</c> counts them.
/// </remarks>
public sealed class OpenClFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when OpenCL is unavailable and not required.</summary>
    public OpenClFactAttribute()
    {
        if (OpenClTestEnvironment.SkipReason is { } reason)
            Skip = reason;
    }
}

/// <summary>A theory that needs an OpenCL device; skipped or required as <see cref="OpenClFactAttribute"/> says.</summary>
public sealed class OpenClTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when OpenCL is unavailable and not required.</summary>
    public OpenClTheoryAttribute()
    {
        if (OpenClTestEnvironment.SkipReason is { } reason)
            Skip = reason;
    }
}

/// <summary>Whether the OpenCL tests run here, decided once per test process.</summary>
public static class OpenClTestEnvironment
{
    /// <summary>The variable that turns "no OpenCL, skipped" into a failure.</summary>
    public const string RequireVariable = "DSL_REQUIRE_OPENCL";

    private static readonly Lazy<string?> Reason = new(() =>
    {
        if (!OpenClDevice.TryGetUnavailableReason(out string reason))
            return null;
        // Required: run, and let the test fail on the exception that carries the reason.
        return Environment.GetEnvironmentVariable(RequireVariable) == "1" ? null : "no OpenCL platform: " + reason;
    });

    /// <summary>Why OpenCL tests are skipped here, or null when they run.</summary>
    public static string? SkipReason => Reason.Value;
}
