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

    /// <summary>
    /// The diagnostic, placed in the compilation's own syntax tree of its file where that still
    /// holds the span. Roslyn applies <c>#pragma warning disable</c> only to diagnostics inside a
    /// tree; a location rebuilt from a path and a span is outside every tree, so without this a
    /// pragma could not silence a DSL warning (dotnet/roslyn#68291). The span is found from the
    /// lines and columns, not the stored offsets: the diagnostic may come from a cached step run
    /// on an earlier text whose offsets differ (a comment edited above it; see <see cref="LocationInfo"/>).
    /// </summary>
    public static Diagnostic ToDiagnostic(this DiagnosticInfo info, Compilation compilation)
    {
        Location location = ToLocation(info.Location);
        if (info.Location is { } at && FindTree(compilation, at.FilePath) is { } tree && SpanOf(tree, at) is { } span)
            location = Location.Create(tree, span);
        return Diagnostic.Create(ToDescriptor(info.Descriptor), location, info.Arguments.Cast<object>().ToArray());
    }

    /// <summary>The span of the location's lines and columns in <paramref name="tree"/>, or null where the tree has no such position.</summary>
    private static TextSpan? SpanOf(SyntaxTree tree, LocationInfo at)
    {
        TextLineCollection lines = tree.GetText().Lines;
        if (at.StartLine < 0 || at.EndLine >= lines.Count || at.EndLine < at.StartLine)
            return null;
        int start = lines[at.StartLine].Start + at.StartColumn;
        int end = lines[at.EndLine].Start + at.EndColumn;
        if (at.StartColumn > lines[at.StartLine].EndIncludingLineBreak - lines[at.StartLine].Start || end > tree.Length || end < start)
            return null;
        return TextSpan.FromBounds(start, end);
    }

    private static SyntaxTree? FindTree(Compilation compilation, string path)
    {
        // Reached only for files with diagnostics, a handful per edit: a scan costs less than an index.
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
            if (tree.FilePath == path)
                return tree;
        return null;
    }

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
