using System.Collections.Generic;
using Dsl.Generator.Common;

namespace Dsl.Generator.Emit;

/// <summary>
/// The numbers of a fused step's locals (<c>a0</c>, <c>x1</c>, <c>r2</c>…): its array operands, then
/// its chain, numbered 0, 1, 2… in that order rather than by IR id, so the same computation reads
/// the same wherever it appears and backends can share one loop or kernel between the entry points
/// that compute it. The emitters write these numbers directly (renaming ids in the written text was
/// a large part of an edit's emission time, issue 21); IR ids stay in the comments (<c>%12</c>).
/// </summary>
internal sealed class LocalNames
{
    // The numbers written most, 0 to 63, made once: a loop or kernel has a few dozen locals, and
    // every key, loop and kernel of an edit numbers its own (issue 21).
    private static readonly string[] s_small = MakeSmall(64);

    private readonly Dictionary<int, string> _numbers;

    public LocalNames(IReadOnlyList<int> arrays, IReadOnlyList<int> chain)
    {
        _numbers = new Dictionary<int, string>(arrays.Count + chain.Count);
        foreach (int id in arrays)
            Add(id);
        foreach (int id in chain)
            Add(id);
    }

    /// <summary>The local number of IR node <paramref name="id"/>; a node that is neither an array nor in the chain keeps its id.</summary>
    public string this[int id] => _numbers.TryGetValue(id, out string? number) ? number : Literals.Int(id);

    private void Add(int id)
    {
        if (!_numbers.ContainsKey(id))
            _numbers[id] = _numbers.Count < s_small.Length ? s_small[_numbers.Count] : Literals.Int(_numbers.Count);
    }

    private static string[] MakeSmall(int count)
    {
        var numbers = new string[count];
        for (int i = 0; i < count; i++)
            numbers[i] = Literals.Int(i);
        return numbers;
    }
}
