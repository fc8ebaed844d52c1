using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Dsl.Distributed.Tests;

/// <summary>
/// A fact that needs Open MPI's <c>mpirun</c>: skipped, with the apt-get line, where it is not
/// installed, unless <c>DSL_REQUIRE_MPI=1</c> (set by CI), where it runs and fails, so that CI
/// cannot pass without running the distributed tests. Test classes are named *MpiTests so that
/// <c>.ci/run</c> counts them.
/// </summary>
public sealed class MpiFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when mpirun is absent and not required.</summary>
    public MpiFactAttribute()
    {
        if (Mpirun.Path is null && Environment.GetEnvironmentVariable("DSL_REQUIRE_MPI") != "1")
            Skip = "Open MPI's mpirun is not installed (apt-get install -y openmpi-bin libopenmpi-dev)";
    }
}

/// <summary>
/// A fact that needs mpirun and an OpenCL device: skipped as <see cref="MpiFactAttribute"/> says,
/// and as the OpenCL tests are (<c>DSL_REQUIRE_OPENCL</c>).
/// </summary>
public sealed class MpiOpenClFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when mpirun or OpenCL is unavailable and not required.</summary>
    public MpiOpenClFactAttribute()
    {
        Skip = new MpiFactAttribute().Skip ?? Dsl.Testing.OpenClTestEnvironment.SkipReason;
    }
}

/// <summary>Finds mpirun on the PATH.</summary>
public static class Mpirun
{
    /// <summary>The full path of mpirun, or null.</summary>
    public static string? Path { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => System.IO.Path.Combine(d, "mpirun"))
        .FirstOrDefault(File.Exists);
}
