using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.Package.Tests;

/// <summary>
/// Issue 21, item 1: the package holds what a user needs, and a project outside the repository
/// that references only it, from a local folder, builds, trains the README's model and gets the
/// DSL's diagnostic at a broken line; a project on an older framework is told net10.0 is required.
/// </summary>
public sealed class PackageTests : IClassFixture<PackedPackage>
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromMinutes(4);
    private readonly PackedPackage _package;
    private readonly ITestOutputHelper _output;

    /// <summary>Takes the package packed once for this class, and the test's output.</summary>
    public PackageTests(PackedPackage package, ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    [Fact]
    public void Package_HoldsTheLibrariesTheGeneratorReadmeLicenseAndSymbols()
    {
        Assert.True(File.Exists(_package.PackagePath), $"No {Path.GetFileName(_package.PackagePath)} in the feed: " + string.Join(", ", Directory.GetFiles(_package.Feed).Select(Path.GetFileName)));
        using ZipArchive package = ZipFile.OpenRead(_package.PackagePath);
        string[] entries = [.. package.Entries.Select(e => e.FullName)];
        foreach (string expected in new[]
        {
            "lib/net10.0/Dsl.Attributes.dll", "lib/net10.0/Dsl.Attributes.xml",
            "lib/net10.0/Runtime.Gpu.dll", "lib/net10.0/Runtime.Gpu.xml",
            "analyzers/dotnet/cs/Dsl.Generator.dll",
            "build/Dsl.DeepLearning.targets", "buildTransitive/Dsl.DeepLearning.targets",
            "README.md", "LICENSE",
        })
            Assert.Contains(expected, entries);
        // The target's error links its page, as every generator diagnostic's helpLinkUri does.
        XDocument targets = XDocument.Load(package.Entries.Single(e => e.FullName == "build/Dsl.DeepLearning.targets").Open());
        string helpLink = targets.Descendants("Error").Single(e => e.Attribute("Code")?.Value == "DSLPKG001").Attribute("HelpLink")!.Value;
        Assert.EndsWith("/docs/diagnostics/DSLPKG001.md", helpLink, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_package.RepositoryRoot, "docs", "diagnostics", "DSLPKG001.md")), "No docs/diagnostics/DSLPKG001.md");
        // Only the two libraries: not the packing project's own empty assembly, not the generator.
        Assert.Equal(2, entries.Count(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal)));

        XDocument nuspec = XDocument.Load(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        XNamespace ns = nuspec.Root!.Name.Namespace;
        XElement metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal(_package.Version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);

        // The package's dependencies are Runtime.Gpu's package references, no more and no fewer.
        string[] dependencies = [.. metadata.Descendants(ns + "dependency").Select(d => $"{d.Attribute("id")!.Value} {d.Attribute("version")!.Value}").Order()];
        string[] runtimeReferences = [.. XDocument.Load(Path.Combine(_package.RepositoryRoot, "src", "Runtime.Gpu", "Runtime.Gpu.csproj"))
            .Descendants("PackageReference").Select(r => $"{r.Attribute("Include")!.Value} {r.Attribute("Version")!.Value}").Order()];
        Assert.Equal(runtimeReferences, dependencies);

        // The generated code's [GeneratedCode] names the generator's version as a constant; it must follow the package's.
        string typeNames = File.ReadAllText(Path.Combine(_package.RepositoryRoot, "src", "Dsl.Generator", "Emit", "CSharp", "TypeNames.cs"));
        Assert.Contains($"(\\\"Dsl.Generator\\\", \\\"{_package.Version}\\\")", typeNames, StringComparison.Ordinal);

        // The model the tests train is the README's, and the template's.
        string readme = File.ReadAllText(Path.Combine(_package.RepositoryRoot, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains(ReadmeModel.Classifier, readme, StringComparison.Ordinal);
        Assert.Equal(ReadmeModel.Classifier + "\n", File.ReadAllText(Path.Combine(_package.RepositoryRoot, "templates", "content", "dsl-console", "Classifier.cs")).Replace("\r\n", "\n", StringComparison.Ordinal));

        Assert.True(File.Exists(_package.SymbolsPath), "No symbols package (snupkg) in the feed.");
        using ZipArchive symbols = ZipFile.OpenRead(_package.SymbolsPath);
        Assert.Contains("lib/net10.0/Dsl.Attributes.pdb", symbols.Entries.Select(e => e.FullName));
        Assert.Contains("lib/net10.0/Runtime.Gpu.pdb", symbols.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void NewConsoleProject_BuildsTrainsTheReadmeModel_AndABrokenLineGetsItsDiagnostic()
    {
        string app = ConsumerProject.Create(Path.Combine(_package.WorkDirectory, "app"), _package.Feed, "net10.0", "Exe", _package.Version,
            ("Classifier.cs", ReadmeModel.Classifier), ("Program.cs", ReadmeModel.Program));

        DotnetCli.Result build = DotnetCli.Run(app, s_commandTimeout, "build", "-nologo");
        Assert.True(build.ExitCode == 0, "The consumer did not build:\n" + build.Output);
        AssertRestoredFromTheFeed(app);

        DotnetCli.Result run = DotnetCli.Run(app, s_commandTimeout, "run", "--no-build");
        Assert.True(run.ExitCode == 0, "The consumer failed:\n" + run.Output);
        Match result = Regex.Match(run.Output, @"RESULT first=([\d.]+) last=([\d.]+) correct=(\d+)/(\d+)");
        Assert.True(result.Success, "No result line:\n" + run.Output);
        _output.WriteLine(result.Value);
        double first = double.Parse(result.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        double last = double.Parse(result.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        int correct = int.Parse(result.Groups[3].Value), examples = int.Parse(result.Groups[4].Value);
        Assert.True(last < 0.5 * first, $"Training did not halve the loss: {first} -> {last}");
        Assert.True(correct >= 0.9 * examples, $"Training accuracy {correct}/{examples} is under 90%");

        // A shape error on one line: [2] + [10] in the forward pass.
        int line = ReadmeModel.Classifier.Split('\n').ToList().FindIndex(l => l.Contains(ReadmeModel.ForwardLine, StringComparison.Ordinal)) + 1;
        Assert.True(line > 0);
        File.WriteAllText(Path.Combine(app, "Classifier.cs"),
            ReadmeModel.Classifier.Replace(ReadmeModel.ForwardLine, ReadmeModel.ForwardLine.Replace("Output(Relu(Hidden(x)));", "Output(Relu(Hidden(x))) + x;", StringComparison.Ordinal), StringComparison.Ordinal));
        DotnetCli.Result broken = DotnetCli.Run(app, s_commandTimeout, "build", "-nologo");
        Assert.NotEqual(0, broken.ExitCode);
        Match diagnostic = Regex.Match(broken.Output, $@"Classifier\.cs\({line},\d+\): error (DSL\d{{4}}): [^\r\n]*");
        Assert.True(diagnostic.Success, $"No DSL error at Classifier.cs line {line}:\n{broken.Output}");
        _output.WriteLine(diagnostic.Value);
        Assert.True(File.Exists(Path.Combine(_package.RepositoryRoot, "docs", "diagnostics", diagnostic.Groups[1].Value + ".md")),
            $"The reported {diagnostic.Groups[1].Value} has no page in docs/diagnostics: {diagnostic.Value}");
    }

    [Fact]
    public void ProjectOnAnOlderFramework_GetsABuildErrorSayingNet10IsRequired()
    {
        string app = ConsumerProject.Create(Path.Combine(_package.WorkDirectory, "old"), _package.Feed, "net8.0", "Library", _package.Version,
            ("Class1.cs", "namespace Old; public static class Class1 { }"));

        DotnetCli.Result build = DotnetCli.Run(app, s_commandTimeout, "build", "-nologo");

        Assert.NotEqual(0, build.ExitCode);
        _output.WriteLine(string.Join("\n", build.Output.Split('\n').Where(l => l.Contains("error", StringComparison.Ordinal)).Distinct()));
        Assert.Matches(@"error DSLPKG001: Dsl\.DeepLearning requires net10\.0 or later, but this project targets net8\.0", build.Output);
    }

    [Fact]
    public void NativeAotPublishForX64_TargetsX86_64_v3UnlessTheAppChoosesAnInstructionSet()
    {
        // NativeAOT's own default (x86-64-v2) leaves Vector256 unaccelerated and the kernels emulated
        // (docs/cpu-and-opencl.md#nativeaot). Evaluation only: no ILCompiler package is restored.
        string app = ConsumerProject.Create(Path.Combine(_package.WorkDirectory, "aot"), _package.Feed, "net10.0", "Exe", _package.Version,
            ("Program.cs", "System.Console.WriteLine();"));
        DotnetCli.Result restore = DotnetCli.Run(app, s_commandTimeout, "restore", "-nologo");
        Assert.True(restore.ExitCode == 0, "The consumer did not restore:\n" + restore.Output);

        Assert.Equal("x86-64-v3", Property(app, "IlcInstructionSet", "-p:PublishAot=true", "-p:RuntimeIdentifier=linux-x64"));
        Assert.Equal("", Property(app, "IlcInstructionSet", "-p:RuntimeIdentifier=linux-x64"));
        Assert.Equal("", Property(app, "IlcInstructionSet", "-p:PublishAot=true", "-p:RuntimeIdentifier=linux-arm64"));
    }

    [Fact]
    public void NativeAotPublish_OptimizesForSpeedUnlessTheAppChoosesOtherwise()
    {
        // Without a profile the ahead-of-time compiler leaves some kernel helpers called inside loops
        // that the JIT inlines (bench/RESULTS.md, "Issue 20, item 4"); Speed inlines them.
        string app = ConsumerProject.Create(Path.Combine(_package.WorkDirectory, "aot-speed"), _package.Feed, "net10.0", "Exe", _package.Version,
            ("Program.cs", "System.Console.WriteLine();"));
        DotnetCli.Result restore = DotnetCli.Run(app, s_commandTimeout, "restore", "-nologo");
        Assert.True(restore.ExitCode == 0, "The consumer did not restore:\n" + restore.Output);

        Assert.Equal("Speed", Property(app, "OptimizationPreference", "-p:PublishAot=true", "-p:RuntimeIdentifier=linux-x64"));
        Assert.Equal("Speed", Property(app, "OptimizationPreference", "-p:PublishAot=true", "-p:RuntimeIdentifier=linux-arm64"));
        Assert.Equal("Size", Property(app, "OptimizationPreference", "-p:PublishAot=true", "-p:RuntimeIdentifier=linux-x64", "-p:OptimizationPreference=Size"));
        Assert.Equal("", Property(app, "OptimizationPreference", "-p:RuntimeIdentifier=linux-x64"));
    }

    private static string Property(string app, string name, params string[] properties)
    {
        DotnetCli.Result evaluation = DotnetCli.Run(app, s_commandTimeout, ["msbuild", $"-getProperty:{name}", "-nologo", .. properties]);
        Assert.True(evaluation.ExitCode == 0, "dotnet msbuild -getProperty failed:\n" + evaluation.Output);
        return evaluation.Output.Trim();
    }

    [Fact]
    public void DotnetNewTemplate_MakesAProjectThatBuildsAndTrains()
    {
        string root = Path.Combine(_package.WorkDirectory, "template");
        string templates = Path.Combine(_package.WorkDirectory, "templates-feed");
        DotnetCli.Result pack = DotnetCli.Run(_package.RepositoryRoot, s_commandTimeout,
            "pack", Path.Combine("templates", "Dsl.Templates.csproj"), "-c", PackedPackage.Configuration, "-o", templates, "-nologo");
        Assert.True(pack.ExitCode == 0, "dotnet pack templates failed:\n" + pack.Output);
        string templatePackage = Path.Combine(templates, $"Dsl.DeepLearning.Templates.{_package.Version}.nupkg");
        Assert.True(File.Exists(templatePackage), "No template package: " + string.Join(", ", Directory.GetFiles(templates).Select(Path.GetFileName)));

        // A hive of this test's own, so the user's installed templates are neither read nor changed.
        string hive = Path.Combine(root, "hive");
        ConsumerProject.WriteNuGetConfig(root, _package.Feed);
        DotnetCli.Result install = DotnetCli.Run(root, s_commandTimeout, "new", "install", templatePackage, "--debug:custom-hive", hive);
        Assert.True(install.ExitCode == 0, "dotnet new install failed:\n" + install.Output);
        string app = Path.Combine(root, "MyModel");
        DotnetCli.Result create = DotnetCli.Run(root, s_commandTimeout, "new", "dsl-console", "-o", app, "--debug:custom-hive", hive);
        Assert.True(create.ExitCode == 0, "dotnet new dsl-console failed:\n" + create.Output);
        Assert.Contains($"Include=\"{PackedPackage.Id}\" Version=\"{_package.Version}\"", File.ReadAllText(Path.Combine(app, "MyModel.csproj")), StringComparison.Ordinal);

        DotnetCli.Result run = DotnetCli.Run(app, s_commandTimeout, "run");
        Assert.True(run.ExitCode == 0, "The templated project failed:\n" + run.Output);
        Match result = Regex.Match(run.Output, @"training accuracy (\d+)/(\d+)");
        Assert.True(result.Success, "No accuracy line:\n" + run.Output);
        _output.WriteLine(result.Value);
        Assert.True(int.Parse(result.Groups[1].Value) >= 0.9 * int.Parse(result.Groups[2].Value), "Training accuracy under 90%: " + result.Value);
    }

    /// <summary>The restored package is this run's, not one of the same version from elsewhere.</summary>
    private void AssertRestoredFromTheFeed(string app)
    {
        string restored = Path.Combine(app, "packages", PackedPackage.Id.ToLowerInvariant(), _package.Version.ToLowerInvariant(), "lib", "net10.0", "Runtime.Gpu.dll");
        Assert.True(File.Exists(restored), "The package was not restored into the project's own packages folder: " + restored);
        using ZipArchive package = ZipFile.OpenRead(_package.PackagePath);
        using var packed = new MemoryStream();
        package.GetEntry("lib/net10.0/Runtime.Gpu.dll")!.Open().CopyTo(packed);
        Assert.Equal(packed.ToArray(), File.ReadAllBytes(restored));
    }
}
