using System;
using System.IO;
using Xunit;

namespace Dsl.Tests.Kernels;

public sealed class SourceConsistencyTests
{
    [Fact]
    public void TheVector256MathIsTheVector512MathWithTheWidthReplaced()
    {
        // SimdMath.Vector256.cs is kept as a textual copy of SimdMath.Vector512.cs; this guards the copy.
        string kernels = Path.Combine(RepositoryRoot(), "src", "Runtime.Gpu", "Kernels");
        string[] wide = File.ReadAllLines(Path.Combine(kernels, "SimdMath.Vector512.cs"));
        string[] narrow = File.ReadAllLines(Path.Combine(kernels, "SimdMath.Vector256.cs"));
        Assert.Equal(wide.Length, narrow.Length);
        for (int i = 0; i < wide.Length; i++)
        {
            if (wide[i].StartsWith("// The Vector", StringComparison.Ordinal))
                continue; // the header comments differ on purpose
            Assert.Equal(wide[i].Replace("512", "256", StringComparison.Ordinal), narrow[i]);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dsl.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException("Dsl.sln not found above " + AppContext.BaseDirectory);
    }
}
