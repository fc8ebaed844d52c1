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
        return Keep(body, live);
    }

    private static bool IsLive(Statement s, HashSet<string> live) => s switch
    {
        If i => FunctionFacts.All(i.Then).Concat(FunctionFacts.All(i.Else)).Any(n => IsLive(n, live)),
        For f => FunctionFacts.All(f.Body).Any(n => IsLive(n, live)),
        Pop p => live.Contains(p.Target),
        _ => FunctionFacts.OwnWrites(s).Any(live.Contains),
    };

    private static Block Keep(Block block, HashSet<string> live)
    {
        var kept = new List<Statement>();
        foreach (Statement s in block.Statements)
        {
            if (!IsLive(s, live)) continue;
            kept.Add(s switch
            {
                If i => i with { Then = Keep(i.Then, live), Else = Keep(i.Else, live) },
                For f => f with { Body = Keep(f.Body, live) },
                _ => s,
            });
        }
        return new Block(kept.ToEquatableArray());
    }
}
