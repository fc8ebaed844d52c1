using System;
using Xunit;

namespace Dsl.Testing;

/// <summary>
/// A fact that needs a CUDA device: skipped with "no CUDA device: &lt;reason&gt;" where the NVIDIA
/// driver or a GPU is missing, unless <c>DSL_REQUIRE_CUDA=1</c> (set on the GPU machine), where it
/// runs and fails with the reason, so that a GPU run cannot pass without running it.
/// </summary>
/// <remarks>Linked into every test project with CUDA tests (<c>tests/Shared/</c>). Name test classes with "Cuda".</remarks>
public sealed class CudaFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when CUDA is unavailable and not required.</summary>
    public CudaFactAttribute()
    {
        if (CudaTestEnvironment.SkipReason is { } reason)
            Skip = reason;
    }
}

/// <summary>Whether the CUDA tests run here, decided once per test process.</summary>
public static class CudaTestEnvironment
{
    /// <summary>The variable that turns "no CUDA, skipped" into a failure.</summary>
    public const string RequireVariable = "DSL_REQUIRE_CUDA";

    private static readonly Lazy<string?> Reason = new(() =>
    {
        if (!IlgpuDevice.TryGetCudaUnavailableReason(out string reason))
            return null;
        // Required: run, and let the test fail on the exception that carries the reason.
        return Environment.GetEnvironmentVariable(RequireVariable) == "1" ? null : "no CUDA device: " + reason;
    });

    /// <summary>Why CUDA tests are skipped here, or null when they run.</summary>
    public static string? SkipReason => Reason.Value;
}
