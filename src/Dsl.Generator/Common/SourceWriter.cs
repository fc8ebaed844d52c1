using System.Text;

namespace Dsl.Generator.Common;

/// <summary>
/// An indenting text writer for generated source, in the manner of dotnet/runtime's
/// <c>SourceWriter</c>: emitters write text, not syntax nodes, and newlines are always '\n'.
/// </summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void Indent() => _indent++;

    public void Unindent() => _indent--;

    public void Line() => _builder.Append('\n');

    public void Line(string text)
    {
        if (text.Length > 0)
            _builder.Append(' ', _indent * 4).Append(text);
        _builder.Append('\n');
    }

    /// <summary>Writes a <c>// </c> comment line, without first joining its text into a string of its own.</summary>
    public void Comment(string text) => _builder.Append(' ', _indent * 4).Append("// ").Append(text).Append('\n');

    /// <summary>Writes a line at column zero, as preprocessor directives such as <c>#line</c> want.</summary>
    public void Directive(string text) => _builder.Append(text).Append('\n');

    /// <summary>Writes <c>#line {line} {file}</c>, with <paramref name="fileLiteral"/> already a C# string literal.</summary>
    public void LineDirective(int line, string fileLiteral) =>
        _builder.Append("#line ").Append(Literals.Int(line)).Append(' ').Append(fileLiteral).Append('\n');

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents.</summary>
    public void Open(string header)
    {
        Line(header);
        Line("{");
        Indent();
    }

    /// <summary>Unindents and writes a closing brace with an optional suffix such as ";".</summary>
    public void Close(string suffix = "")
    {
        Unindent();
        Line("}" + suffix);
    }

    /// <summary>Writes each line of a block of text at the current indentation.</summary>
    public void Lines(string text)
    {
        foreach (string line in text.Split('\n'))
            Line(line.TrimEnd('\r'));
    }

    public override string ToString() => _builder.ToString();
}
