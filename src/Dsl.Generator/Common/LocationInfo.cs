namespace Dsl.Generator.Common;

/// <summary>
/// A source location with no reference to a <c>SyntaxTree</c> or <c>Compilation</c>, so models that
/// carry it stay cacheable. Lines and columns are zero-based, as Roslyn's <c>LinePosition</c>.
/// </summary>
internal sealed record LocationInfo(
    string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    /// <summary>The one-based line, as an editor shows it.</summary>
    public int Line => StartLine + 1;

    /// <summary>"File.cs:14", the form generated comments use.</summary>
    public string Describe() => System.IO.Path.GetFileName(FilePath) + ":" + Line;
}
