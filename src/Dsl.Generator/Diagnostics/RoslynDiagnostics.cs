using System.Collections.Concurrent;
using System.Linq;
using Dsl.Generator.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Dsl.Generator.Diagnostics;

/// <summary>Turns the catalogue's plain descriptors and infos into Roslyn diagnostics.</summary>
internal static class RoslynDiagnostics
{
    private static readonly ConcurrentDictionary<string, DiagnosticDescriptor> s_descriptors = new();

    public static Diagnostic ToDiagnostic(this DiagnosticInfo info) =>
        Diagnostic.Create(ToDescriptor(info.Descriptor), ToLocation(info.Location), info.Arguments.Cast<object>().ToArray());

    public static DiagnosticDescriptor ToDescriptor(DslDiagnosticDescriptor d) =>
        s_descriptors.GetOrAdd(d.Id, _ => new DiagnosticDescriptor(
            d.Id, d.Title, d.MessageFormat, d.Category,
            d.IsWarning ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
            isEnabledByDefault: true, helpLinkUri: d.HelpLink));

    public static Location ToLocation(LocationInfo? location) =>
        location is null
            ? Location.None
            : Location.Create(
                location.FilePath,
                new TextSpan(location.Start, location.Length),
                new LinePositionSpan(
                    new LinePosition(location.StartLine, location.StartColumn),
                    new LinePosition(location.EndLine, location.EndColumn)));

    /// <summary>Trims a Roslyn location to a value that holds no syntax tree.</summary>
    public static LocationInfo? ToInfo(this Location? location)
    {
        if (location is null || location.SourceTree is null)
            return null;
        FileLinePositionSpan span = location.GetLineSpan();
        return new LocationInfo(
            span.Path ?? "", location.SourceSpan.Start, location.SourceSpan.Length,
            span.StartLinePosition.Line, span.StartLinePosition.Character,
            span.EndLinePosition.Line, span.EndLinePosition.Character);
    }
}
