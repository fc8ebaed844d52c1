namespace Dsl.Generator.Common;

/// <summary>
/// A source location with no reference to a <c>SyntaxTree</c> or <c>Compilation</c>, so models that
/// carry it stay cacheable. Lines and columns are zero-based, as Roslyn's <c>LinePosition</c>.
/// </summary>
/// <remarks>
/// Two locations are equal when their file, lines and columns are: the character offsets
/// (<see cref="Start"/>, <see cref="Length"/>) are left out. Editing a comment's text, above a
/// model or inside it, moves the offsets of everything after it but not a line or column of the
/// model's code, and generated code cites lines only; comparing offsets made every such
/// keystroke re-run the model's whole pipeline (issue 21: the Gpt sample, whose block has a
/// comment at the end of a line of its [Forward]). A cached spec may so hold offsets from an
/// earlier text: diagnostics are placed from the lines and columns in the current tree
/// (<c>RoslynDiagnostics.ToDiagnostic(info, compilation)</c>).
/// </remarks>
internal sealed record LocationInfo(
    string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    /// <summary>The one-based line, as an editor shows it.</summary>
    public int Line => StartLine + 1;

    /// <summary>"File.cs:14", the form generated comments use.</summary>
    public string Describe() => System.IO.Path.GetFileName(FilePath) + ":" + Line;

    /// <summary>Equal file, lines and columns; the offsets are not compared (see the remarks).</summary>
    public bool Equals(LocationInfo? other) =>
        other is not null
        && StartLine == other.StartLine && StartColumn == other.StartColumn
        && EndLine == other.EndLine && EndColumn == other.EndColumn
        && string.Equals(FilePath, other.FilePath, System.StringComparison.Ordinal);

    /// <summary>A hash of what <see cref="Equals(LocationInfo?)"/> compares.</summary>
    public override int GetHashCode()
    {
        unchecked
        {
            int hash = System.StringComparer.Ordinal.GetHashCode(FilePath);
            hash = hash * 31 + StartLine;
            hash = hash * 31 + StartColumn;
            hash = hash * 31 + EndLine;
            return hash * 31 + EndColumn;
        }
    }
}
