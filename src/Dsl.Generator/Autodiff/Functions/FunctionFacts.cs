using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;
using Dsl.Generator.Ir.Functions;

namespace Dsl.Generator.Autodiff.Functions;

/// <summary>Questions the transforms and the simplifier ask of a function's nodes and statements.</summary>
internal static class FunctionFacts
{
    /// <summary>The variables and arrays an expression reads (Variable, Load and Length leaves).</summary>
    public static HashSet<string> Reads(GraphBuilder g, int root)
    {
        var names = new HashSet<string>();
        var seen = new HashSet<int>();
        var stack = new Stack<int>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (!seen.Add(id)) continue;
            Node node = g[id];
            if (node.Op is OpKind.Variable or OpKind.Load or OpKind.Length)
                names.Add(node.Name!);
            foreach (int input in node.Inputs) stack.Push(input);
        }
        return names;
    }

    /// <summary>The expressions a statement evaluates itself (not those of nested blocks).</summary>
    public static IEnumerable<int> OwnExpressions(Statement s) => s switch
    {
        Declare d => new[] { d.Value },
        Assign a => new[] { a.Value },
        Allocate a => new[] { a.Length },
        Store st => new[] { st.Index, st.Value },
        If i => new[] { i.Condition },
        For f => new[] { f.Start, f.End },
        Push p => new[] { p.Value },
        _ => System.Array.Empty<int>(),
    };

    /// <summary>What a statement writes: a scalar, an array's elements, or a tape (a Pop writes its target and its tape).</summary>
    public static IEnumerable<string> OwnWrites(Statement s) => s switch
    {
        Declare d => new[] { d.Target },
        Assign a => new[] { a.Target },
        Allocate a => new[] { a.Target },
        Store st => new[] { st.Target },
        Push p => new[] { p.Tape },
        Pop p => new[] { p.Target, p.Tape },
        _ => System.Array.Empty<string>(),
    };

    /// <summary>Every statement of a block, nested ones included, in order.</summary>
    public static IEnumerable<Statement> All(Block block)
    {
        foreach (Statement s in block.Statements)
        {
            yield return s;
            IEnumerable<Statement> nested = s switch
            {
                If i => All(i.Then).Concat(All(i.Else)),
                For f => All(f.Body),
                _ => Enumerable.Empty<Statement>(),
            };
            foreach (Statement n in nested) yield return n;
        }
    }

    /// <summary>Everything a block writes, nested blocks included.</summary>
    public static HashSet<string> Writes(Block block) => new(All(block).SelectMany(OwnWrites));

    /// <summary>Everything a statement reads, nested blocks included (a Pop reads its tape).</summary>
    public static HashSet<string> Reads(GraphBuilder g, Statement s)
    {
        var names = new HashSet<string>();
        IEnumerable<Statement> all = s switch
        {
            If i => new[] { s }.Concat(All(i.Then)).Concat(All(i.Else)),
            For f => new[] { s }.Concat(All(f.Body)),
            _ => new[] { s },
        };
        foreach (Statement each in all)
        {
            foreach (int e in OwnExpressions(each)) names.UnionWith(Reads(g, e));
            if (each is Pop p) names.Add(p.Tape);
            if (each is Store { Accumulate: true } st) names.Add(st.Target);
        }
        return names;
    }

    /// <summary>
    /// The variables that depend on <paramref name="seeds"/> through assignments, stores and tapes,
    /// to a fixed point (so loop-carried dependences count): JAX's "varied" values.
    /// </summary>
    public static HashSet<string> Varied(GraphBuilder g, Block body, IEnumerable<string> seeds)
    {
        var varied = new HashSet<string>(seeds);
        var statements = All(body).ToList();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Statement s in statements)
            {
                bool reads = s switch
                {
                    Declare d => IsVaried(g, d.Value, varied),
                    Assign a => IsVaried(g, a.Value, varied),
                    Store st => IsVaried(g, st.Value, varied),
                    Push p => IsVaried(g, p.Value, varied),
                    Pop p => varied.Contains(p.Tape),
                    _ => false,
                };
                if (reads)
                    foreach (string w in OwnWrites(s).Where(w => s is not Pop p || w == p.Target))
                        changed |= varied.Add(w);
            }
        }
        return varied;
    }

    /// <summary>
    /// The variables <paramref name="results"/> depend on through assignments, stores and tapes, to
    /// a fixed point: the only ones whose adjoint can be other than zero (JAX's symbolic zeros, so
    /// reverse mode writes nothing for values that do not reach the output, such as an auxiliary one).
    /// </summary>
    /// <param name="through">For a declaration whose value is a call with custom rules: the arguments derivatives flow back through.</param>
    public static HashSet<string> Useful(GraphBuilder g, Block body, IEnumerable<string> results, System.Func<Node, IEnumerable<int>> through)
    {
        var useful = new HashSet<string>(results);
        var statements = All(body).ToList();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Statement s in statements)
            {
                IEnumerable<string> reads = s switch
                {
                    Declare d when useful.Contains(d.Target) && g[d.Value].Op == OpKind.Call => through(g[d.Value]).SelectMany(a => Reads(g, a)),
                    Declare d when useful.Contains(d.Target) => Reads(g, d.Value),
                    Assign a when useful.Contains(a.Target) => Reads(g, a.Value),
                    Store st when useful.Contains(st.Target) => Reads(g, st.Value),
                    Push p when useful.Contains(p.Tape) => Reads(g, p.Value),
                    Pop p when useful.Contains(p.Target) => new[] { p.Tape },
                    _ => Enumerable.Empty<string>(),
                };
                foreach (string r in reads)
                    changed |= useful.Add(r);
            }
        }
        return useful;
    }

    /// <summary>Whether <paramref name="f"/> writes <paramref name="variable"/> once, declaring it the constant 0 (a rule's stopped gradient).</summary>
    public static bool IsConstantZero(Function f, string variable)
    {
        var writes = All(f.Body).Where(s => OwnWrites(s).Contains(variable)).ToList();
        return writes.Count == 1 && writes[0] is Declare d && f.Nodes[d.Value] is { Op: OpKind.Constant, Constant: 0 };
    }

    private static bool IsVaried(GraphBuilder g, int node, HashSet<string> varied) => Reads(g, node).Overlaps(varied);
}
