using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Autodiff.Functions;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;
using Dsl.Generator.Ir.Functions;

namespace Dsl.Generator.Fusion.Functions;

/// <summary>
/// Dead-code removal for scalar functions: a variable is live if a result is, or a live statement
/// reads it (to a fixed point, so loop-carried values count); statements that write nothing live
/// go, and so do branches and loops left empty. This is what drops the forward sweep of a
/// gradient whose value nobody asked for.
/// </summary>
internal static class DeadCode
{
    public static Block Remove(GraphBuilder g, Block body, IEnumerable<string> results)
    {
        var live = new HashSet<string>(results);
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Statement s in FunctionFacts.All(body))
            {
                if (!IsLive(s, live)) continue;
                IEnumerable<string> reads = FunctionFacts.OwnExpressions(s).SelectMany(e => FunctionFacts.Reads(g, e));
                if (s is Pop p) reads = reads.Append(p.Tape);
                if (s is Store { Accumulate: true } st) reads = reads.Append(st.Target);
                foreach (string r in reads)
                    changed |= live.Add(r);
            }
        }
        return Keep(g, body, live, nested: false);
    }

    private static bool IsLive(Statement s, HashSet<string> live) => s switch
    {
        If i => FunctionFacts.All(i.Then).Concat(FunctionFacts.All(i.Else)).Any(n => IsLive(n, live)),
        For f => FunctionFacts.All(f.Body).Any(n => IsLive(n, live)),
        Pop p => live.Contains(p.Target),
        _ => FunctionFacts.OwnWrites(s).Any(live.Contains),
    };

    /// <summary>
    /// The live statements of a block. A local declared in a nested block is scoped to it, as its
    /// C# is, so it is dead when nothing later in that block touches it, even if a variable of the
    /// same name is live elsewhere (a loop local that the reverse loop declares again).
    /// </summary>
    private static Block Keep(GraphBuilder g, Block block, HashSet<string> live, bool nested)
    {
        var kept = new List<Statement>();
        var touchedLater = new HashSet<string>();
        for (int i = block.Statements.Count - 1; i >= 0; i--)
        {
            Statement s = block.Statements[i];
            if (!IsLive(s, live) || nested && s is Declare d && !touchedLater.Contains(d.Target)) continue;
            Statement copy = s switch
            {
                If branch => branch with { Then = Keep(g, branch.Then, live, nested: true), Else = Keep(g, branch.Else, live, nested: true) },
                For f => f with { Body = Keep(g, f.Body, live, nested: true) },
                _ => s,
            };
            if (copy is For { Body.Statements.Count: 0 } or If { Then.Statements.Count: 0, Else.Statements.Count: 0 }) continue;
            kept.Add(copy);
            touchedLater.UnionWith(FunctionFacts.Reads(g, copy));
            touchedLater.UnionWith(FunctionFacts.Writes(new Block(EquatableArray.Of(copy))));
        }
        kept.Reverse();
        return new Block(kept.ToEquatableArray());
    }
}
