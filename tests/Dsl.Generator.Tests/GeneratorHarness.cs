using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Generator.Tests;

/// <summary>Runs the generator over C# source in memory, the way the compiler does in a build.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
    {
        string[] trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return trusted
            .Where(p => Path.GetFileName(p) is var f && (f.StartsWith("System.") || f is "netstandard.dll" or "mscorlib.dll"))
            .Append(typeof(Dsl.Tensor).Assembly.Location)
            .Append(typeof(Dsl.Device).Assembly.Location)
            // The device programs' ILGPU kernels take ILGPU's Index1D and ArrayView (the runtime references ILGPU).
            .Append(typeof(ILGPU.Index1D).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
    });

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(string source, string path = "Model.cs") =>
        CSharpCompilation.Create(
            "UserModels",
            new[] { CSharpSyntaxTree.ParseText(source, ParseOptions, path) },
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create(
            new[] { new DslGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>The generator's result, and the compilation's own diagnostics once the generated files are added.</summary>
    public static (GeneratorDriverRunResult Run, ImmutableArray<Diagnostic> CompilationDiagnostics) Run(string source, string path = "Model.cs")
    {
        CSharpCompilation compilation = Compilation(source, path);
        GeneratorDriver driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        return (driver.GetRunResult(), output.GetDiagnostics());
    }
}
