using System.IO;

namespace Dsl.Package.Tests;

/// <summary>
/// A user's new project in its own folder: a nuget.config that adds the local feed to the
/// machine's sources and keeps restored packages in the folder (so nothing stale from the user's
/// package cache is used, and nothing is left in it), a project file referencing only the package,
/// and the given source files.
/// </summary>
internal static class ConsumerProject
{
    /// <summary>Writes the project into <paramref name="directory"/>; returns its folder.</summary>
    public static string Create(string directory, string feed, string targetFramework, string outputType, string packageVersion, params (string Name, string Text)[] files)
    {
        WriteNuGetConfig(directory, feed);
        File.WriteAllText(Path.Combine(directory, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>{outputType}</OutputType>
                <TargetFramework>{targetFramework}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackedPackage.Id}" Version="{packageVersion}" />
              </ItemGroup>
            </Project>
            """);
        foreach (var (name, text) in files)
            File.WriteAllText(Path.Combine(directory, name), text);
        return directory;
    }

    /// <summary>
    /// Writes the nuget.config: the feed added to the machine's sources, and packages restored
    /// into a folder of the directory's own.
    /// </summary>
    public static void WriteNuGetConfig(string directory, string feed)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="packages" />
              </config>
              <packageSources>
                <add key="dsl-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
    }
}
