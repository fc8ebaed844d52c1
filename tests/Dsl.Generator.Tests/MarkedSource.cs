using System;
using System.Linq;

namespace Dsl.Generator.Tests;

/// <summary>
/// Test source with one <c>/*here*/</c> marker in front of the construct a diagnostic should point
/// at. The marker is removed before compiling; the expected position is computed from where it was,
/// so editing a test model never leaves a stale line number behind.
/// </summary>
internal sealed record MarkedSource(string Text, int Position, int Line, int Column)
{
    public const string Marker = "/*here*/";

    /// <summary>Lines every test model starts with: what a user's model file opens with.</summary>
    public const string Usings = "using Dsl;\nusing static Dsl.Ops;\n\nnamespace Samples;\n\n";

    /// <summary>Removes the single marker and records the 0-based position and 1-based line and column of what follows it.</summary>
    public static MarkedSource Parse(string source)
    {
        int index = source.IndexOf(Marker, StringComparison.Ordinal);
        if (index < 0 || source.IndexOf(Marker, index + Marker.Length, StringComparison.Ordinal) >= 0)
            throw new ArgumentException("The test source must contain exactly one " + Marker + " marker.", nameof(source));
        string text = source.Remove(index, Marker.Length);
        int line = text.Take(index).Count(c => c == '\n') + 1;
        int lineStart = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;
        return new MarkedSource(text, index, line, index - lineStart + 1);
    }

    /// <summary>The text with <see cref="Usings"/> in front, marker handled.</summary>
    public static MarkedSource Model(string body) => Parse(Usings + body);

    /// <summary>The 0-based offset of <paramref name="fragment"/> in <see cref="Text"/> (it must occur exactly once).</summary>
    public int IndexOf(string fragment)
    {
        int index = Text.IndexOf(fragment, StringComparison.Ordinal);
        if (index < 0 || Text.IndexOf(fragment, index + 1, StringComparison.Ordinal) >= 0)
            throw new ArgumentException($"'{fragment}' must occur exactly once in the test source.", nameof(fragment));
        return index;
    }
}
