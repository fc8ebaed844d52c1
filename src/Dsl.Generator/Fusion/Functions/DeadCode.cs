using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Autodiff.Functions;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;
using Dsl.Generator.Ir.Functions;

namespace Dsl.Generator.Fusion.Functions;

/// <summary>
/// Dead-code removal for scalar functions by liveness, statement by statement from the results
/// back (loops to a fixed point, so loop-carried values count): a write nothing reads before the
/// next write goes, and so do branches and loops left empty. Flow matters: the reverse sweep of a
/// gradient recomputes a loop's locals itself, so the forward sweep's copies of them, read by
/// nothing, go even though a variable of the same name is read later. A tape is kept whole or not
/// at all: its pushes and pops stay paired, and it stays when one value popped from it is read.
/// This is what drops the forward sweep of a gradient whose value nobody asked for.
/// </summary>
internal static class DeadCode
{
    public static Block Remove(GraphBuilder g, Block body, IEnumerable<string> results)
    {
        var tapes = new HashSet<string>(FunctionFacts.All(body).SelectMany(s => s switch
        {
            Push p => new[] { p.Tape },
            Pop p => new[] { p.Tape },
            _ => System.Array.Empty<string>(),
        }));
        var liveTapes = new HashSet<string>();
        var declared = new HashSet<string>();
        while (true)
        {
            var pass = new Pass(g, tapes, liveTapes, declared);
            Block kept = pass.Sweep(body, new HashSet<string>(results)).Block;
            // A tape read by a kept pop, or a scalar a kept statement overwrites (its declaration
            // must stay), can make more live: run again until nothing new is kept.
            bool grew = Grow(liveTapes, pass.ReadTapes) | Grow(declared, pass.Overwritten);
            if (!grew) return kept;
        }
    }

    private static bool Grow(HashSet<string> set, IEnumerable<string> more)
    {
        int before = set.Count;
        set.UnionWith(more);
        return set.Count != before;
    }

    private sealed class Pass
    {
        private readonly GraphBuilder _g;
        private readonly HashSet<string> _tapes, _liveTapes, _declared;

        public Pass(GraphBuilder g, HashSet<string> tapes, HashSet<string> liveTapes, HashSet<string> declared)
        {
            _g = g;
            _tapes = tapes;
            _liveTapes = liveTapes;
            _declared = declared;
        }

        /// <summary>Tapes a pop whose value is read takes from.</summary>
        public HashSet<string> ReadTapes { get; } = new();

        /// <summary>Scalars a kept assignment or pop overwrites.</summary>
        public HashSet<string> Overwritten { get; } = new();

        /// <summary>What is live before <paramref name="block"/> given what is live after it, and the block without its dead statements.</summary>
        public (HashSet<string> LiveIn, Block Block) Sweep(Block block, HashSet<string> liveOut)
        {
            var live = new HashSet<string>(liveOut);
            var kept = new List<Statement>();
            for (int k = block.Statements.Count - 1; k >= 0; k--)
            {
                Statement? s = Statement(block.Statements[k], live);
                if (s is not null) kept.Add(s);
            }
            kept.Reverse();
            return (live, new Block(kept.ToEquatableArray()));
        }

        /// <summary>One statement backwards: updates <paramref name="live"/> and returns the statement kept, or null.</summary>
        private Statement? Statement(Statement s, HashSet<string> live)
        {
            switch (s)
            {
                case Declare d:
                    if (!live.Contains(d.Target) && !_declared.Contains(d.Target)) return null;
                    live.Remove(d.Target);
                    Read(d.Value, live);
                    return s;
                case Assign a:
                    if (!live.Contains(a.Target) || _g[a.Value] is { Op: OpKind.Variable } v && v.Name == a.Target) return null; // dead, or v = v
                    live.Remove(a.Target);
                    Read(a.Value, live);
                    Overwritten.Add(a.Target);
                    return s;
                case Allocate a:
                    if (_tapes.Contains(a.Target) ? !_liveTapes.Contains(a.Target) : !live.Contains(a.Target) && !live.Contains(LengthOf(a.Target))) return null;
                    live.Remove(a.Target);
                    live.Remove(LengthOf(a.Target));
                    Read(a.Length, live);
                    return s;
                case Store st:
                    if (!live.Contains(st.Target)) return null;
                    Read(st.Index, live);
                    Read(st.Value, live);
                    return s;
                case Push p:
                    if (!_liveTapes.Contains(p.Tape)) return null;
                    Read(p.Value, live);
                    return s;
                case Pop p:
                    if (live.Contains(p.Target)) ReadTapes.Add(p.Tape);
                    if (!_liveTapes.Contains(p.Tape)) return null;
                    live.Remove(p.Target);
                    Overwritten.Add(p.Target);
                    return s;
                case If i:
                {
                    var (thenIn, then) = Sweep(i.Then, live);
                    var (elseIn, otherwise) = Sweep(i.Else, live);
                    if (then.Statements.Count == 0 && otherwise.Statements.Count == 0) return null;
                    live.UnionWith(thenIn);
                    live.UnionWith(elseIn);
                    Read(i.Condition, live);
                    return i with { Then = then, Else = otherwise };
                }
                case For f:
                {
                    // What the body needs at its end: what follows the loop, and what the next iteration reads.
                    var bodyOut = new HashSet<string>(live);
                    while (true)
                    {
                        HashSet<string> bodyIn = Sweep(f.Body, bodyOut).LiveIn;
                        bodyIn.Remove(f.Index);
                        if (bodyIn.IsSubsetOf(bodyOut)) break;
                        bodyOut.UnionWith(bodyIn);
                    }
                    var (finalIn, body) = Sweep(f.Body, bodyOut);
                    if (body.Statements.Count == 0) return null;
                    finalIn.Remove(f.Index);
                    live.UnionWith(finalIn);
                    Read(f.Start, live);
                    Read(f.End, live);
                    return f with { Body = body };
                }
                default:
                    return s;
            }
        }

        /// <summary>
        /// Adds what <paramref name="node"/> reads; reading an array's length needs its allocation
        /// but not its elements (a VJP sizes the adjoint of a result it never reads).
        /// </summary>
        private void Read(int node, HashSet<string> live)
        {
            var seen = new HashSet<int>();
            var stack = new Stack<int>();
            stack.Push(node);
            while (stack.Count > 0)
            {
                int id = stack.Pop();
                if (!seen.Add(id)) continue;
                Node n = _g[id];
                if (n.Op is OpKind.Variable or OpKind.Load) live.Add(n.Name!);
                else if (n.Op == OpKind.Length) live.Add(LengthOf(n.Name!));
                foreach (int input in n.Inputs) stack.Push(input);
            }
        }

        /// <summary>The liveness marker of an array's length, apart from its elements.</summary>
        private static string LengthOf(string array) => array + "#length";
    }
}
