using System.Collections.Generic;
using Dsl.Generator.Common;

namespace Dsl.Generator.Emit;

/// <summary>
/// Renames a fused kernel's id-numbered locals (<c>a12</c>, <c>x12</c>, ...) to 0, 1, 2… in the
/// order given, so the same computation reads the same wherever it appears, and backends can
/// share one kernel between the entry points that compute it.
/// </summary>
internal static class LocalNumbering
{
    /// <param name="body">The text, whose locals are a prefix letter and an IR id.</param>
    /// <param name="order">The ids in the order their new numbers are given.</param>
    /// <param name="prefixes">The prefix letters of the locals to rename, e.g. <c>avxsr</c>.</param>
    public static string Renumber(string body, IEnumerable<int> order, string prefixes)
    {
        var local = new Dictionary<string, string>();
        foreach (int id in order)
            if (!local.ContainsKey(Literals.Int(id)))
                local[Literals.Int(id)] = Literals.Int(local.Count);
        return System.Text.RegularExpressions.Regex.Replace(
            body, @"(?<![\w%])([" + prefixes + @"])(\d+)\b",
            m => local.TryGetValue(m.Groups[2].Value, out string? n) ? m.Groups[1].Value + n : m.Value);
    }
}
