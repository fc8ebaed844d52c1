using System.Collections.Generic;
using System.Text;
using Dsl.Generator.Common;

namespace Dsl.Generator.Emit;

/// <summary>
/// Renames a fused kernel's id-numbered locals (<c>a12</c>, <c>x12</c>, ...) to 0, 1, 2… in the
/// order given, so the same computation reads the same wherever it appears, and backends can
/// share one kernel between the entry points that compute it.
/// </summary>
internal static class LocalNumbering
{
    /// <summary>
    /// A local is a prefix letter that does not continue a word or follow <c>%</c> (IR ids in
    /// comments), then the digits of an id, then no further letter, digit or underscore. One scan
    /// of the text: every fused loop of every entry point goes through here, and a regular
    /// expression made it a large part of an edit's emission time (issue 21).
    /// </summary>
    /// <param name="body">The text, whose locals are a prefix letter and an IR id.</param>
    /// <param name="order">The ids in the order their new numbers are given.</param>
    /// <param name="prefixes">The prefix letters of the locals to rename, e.g. <c>avxsr</c>.</param>
    public static string Renumber(string body, IEnumerable<int> order, string prefixes)
    {
        var local = new Dictionary<string, string>();
        foreach (int id in order)
            if (!local.ContainsKey(Literals.Int(id)))
                local[Literals.Int(id)] = Literals.Int(local.Count);

        var result = new StringBuilder(body.Length);
        int copied = 0;
        for (int at = 0; at < body.Length; at++)
        {
            if (prefixes.IndexOf(body[at]) < 0 || (at > 0 && (IsWord(body[at - 1]) || body[at - 1] == '%')))
                continue;
            int end = at + 1;
            while (end < body.Length && body[end] >= '0' && body[end] <= '9')
                end++;
            if (end == at + 1 || (end < body.Length && IsWord(body[end])))
                continue;
            if (local.TryGetValue(body.Substring(at + 1, end - at - 1), out string? number))
            {
                result.Append(body, copied, at + 1 - copied).Append(number);
                copied = end;
            }
            at = end - 1;
        }
        return result.Append(body, copied, body.Length - copied).ToString();
    }

    private static bool IsWord(char c) => char.IsLetterOrDigit(c) || c == '_';
}
