using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace Dsl.Package.Tests;

/// <summary>
/// The package, packed once for the tests of a class into a fresh local folder (the feed), from
/// the build this test run already made (<c>dotnet pack --no-build</c> in the tests' configuration).
/// </summary>
public sealed class PackedPackage : IDisposable
{
    /// <summary>The package's id, as the README's <c>dotnet add package</c> names it.</summary>
    public const string Id = "Dsl.DeepLearning";

    /// <summary>Packs the package; throws with the CLI's output if that fails.</summary>
    public PackedPackage()
    {
        RepositoryRoot = FindRepositoryRoot();
        Version = XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value;
        WorkDirectory = Path.Combine(Path.GetTempPath(), "dsl-package-test-" + Guid.NewGuid().ToString("N")[..12]);
        Feed = Path.Combine(WorkDirectory, "feed");
        Directory.CreateDirectory(Feed);
        DotnetCli.Result pack = DotnetCli.Run(RepositoryRoot, TimeSpan.FromMinutes(3),
            "pack", Path.Combine("src", "Dsl.Package", "Dsl.Package.csproj"), "--no-build", "-c", Configuration, "-o", Feed, "-nologo");
        if (pack.ExitCode != 0)
            throw new InvalidOperationException("dotnet pack failed:\n" + pack.Output);
    }

    /// <summary>The repository's root (the folder of Dsl.sln).</summary>
    public string RepositoryRoot { get; }

    /// <summary>The version Directory.Build.props sets, which the package must carry.</summary>
    public string Version { get; }

    /// <summary>A temporary folder outside the repository holding the feed and the consuming projects.</summary>
    public string WorkDirectory { get; }

    /// <summary>The local folder the package was packed into.</summary>
    public string Feed { get; }

    /// <summary>The package file.</summary>
    public string PackagePath => Path.Combine(Feed, $"{Id}.{Version}.nupkg");

    /// <summary>The symbols package file.</summary>
    public string SymbolsPath => Path.Combine(Feed, $"{Id}.{Version}.snupkg");

    /// <summary>The configuration these tests were built in (Debug or Release), read from their own path.</summary>
    public static string Configuration =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>Deletes the temporary folder.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open leaves the folder for the system's temp cleaning; the result stands.
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Dsl.sln")))
                return directory.FullName;
        throw new InvalidOperationException("No Dsl.sln above " + AppContext.BaseDirectory);
    }
}
