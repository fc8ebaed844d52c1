using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Dsl.Generator.Ir.Functions;

/// <summary>
/// How a function's flat list of results nests as C# tuples, written as a small pattern: <c>.</c>
/// is one result, <c>(.,.)</c> a pair, <c>((.,(.,.)),.)</c> JAX's <c>((value, aux), grad)</c> with
/// a pair as the aux. The dots stand for the results in order, so the IR keeps one flat list and
/// only the signature check and the emitter's <c>return</c> need the nesting.
/// </summary>
internal static class ResultLayout
{
    /// <summary>One result, not a tuple.</summary>
    public const string Single = ".";

    /// <summary><paramref name="count"/> results as a flat tuple (or one result alone).</summary>
    public static string Flat(int count) => count == 1 ? Single : "(" + string.Join(",", Enumerable.Repeat(Single, count)) + ")";

    /// <summary>The tuple of <paramref name="parts"/> (each a layout), or the part itself when there is one.</summary>
    public static string Tuple(IEnumerable<string> parts)
    {
        var list = parts.ToList();
        return list.Count == 1 ? list[0] : "(" + string.Join(",", list) + ")";
    }

    /// <summary>How many results the layout holds.</summary>
    public static int Count(string layout) => layout.Count(c => c == '.');

    /// <summary>The top-level parts of a tuple layout (the layout itself when it is one result).</summary>
    public static IReadOnlyList<string> Elements(string layout)
    {
        if (layout == Single) return new[] { layout };
        var parts = new List<string>();
        int depth = 0, start = 1;
        for (int i = 1; i < layout.Length - 1; i++)
        {
            char c = layout[i];
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0)
            {
                parts.Add(layout.Substring(start, i - start));
                start = i + 1;
            }
        }
        parts.Add(layout.Substring(start, layout.Length - 1 - start));
        return parts;
    }

    /// <summary>The layout with each dot replaced by the next of <paramref name="leaves"/>: <c>((loss, aux), w_bar)</c>.</summary>
    public static string Render(string layout, IReadOnlyList<string> leaves)
    {
        var text = new StringBuilder();
        int next = 0;
        foreach (char c in layout)
        {
            if (c == '.') text.Append(leaves[next++]);
            else if (c == ',') text.Append(", ");
            else text.Append(c);
        }
        return text.ToString();
    }
}
