using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.Generator.Tests;

public class ZzExploreTmp(ITestOutputHelper o)
{
    [Fact]
    public void Explore()
    {
        foreach (var file in Directory.GetFiles("/tmp/explore", "*.cs").OrderBy(f => f))
        {
            o.WriteLine("=== " + Path.GetFileName(file));
            var (run, diags) = GeneratorHarness.Run(File.ReadAllText(file), Path.GetFileName(file));
            o.WriteLine("exc: " + run.Results[0].Exception);
            foreach (var d in run.Diagnostics) o.WriteLine("G " + d + "  span=" + d.Location.SourceSpan);
            foreach (var d in diags.Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)) o.WriteLine("C " + d);
        }
    }
}
