using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Autodiff.Functions;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;
using Dsl.Generator.Ir.Functions;

namespace Dsl.Generator.Fusion.Functions;

/// <summary>
/// Common-subexpression elimination for the C# a derived function is written as: an expression
/// that a run of straight-line statements computes more than once (<c>Math.Exp(x)</c> in a
/// product rule, <c>p[1] − p[0]·p[0]</c> in a Hessian) is computed once, into a local declared
/// before its first use, when nothing it reads changes in between. The graph already shares equal
/// nodes, so the repeats are found by node id. Only what costs something is bound: a call of a Math
/// function, a division, or an expression of two operations or more. It runs on what is emitted,
/// not on the IR a further transform differentiates, where the new locals would be one more thing
/// for reverse mode to keep.
/// </summary>
internal sealed class CommonSubexpressions
{
    private readonly FunctionBuilder _b;

    private CommonSubexpressions(Function f) => _b = new FunctionBuilder(f);

    public static Function Bind(Function f)
    {
        var pass = new CommonSubexpressions(f);
        Block body = pass.Block(f.Body);
        return body == f.Body ? f : f with { Body = body, Variables = pass._b.Variables.ToEquatableArray(), Nodes = pass._b.Nodes.Snapshot() };
    }

    private Block Block(Block block)
    {
        var result = new List<Statement>();
        var run = new List<Statement>();
        foreach (Statement s in block.Statements)
        {
            if (s is Declare or Assign or Store or Push)
            {
                run.Add(s);
                continue;
            }
            result.AddRange(Run(run));
            run.Clear();
            result.Add(s switch
            {
                If i => i with { Then = Block(i.Then), Else = Block(i.Else) },
                For f => f with { Body = Block(f.Body) },
                _ => s,
            });
        }
        result.AddRange(Run(run));
        var rebuilt = new Block(result.ToEquatableArray());
        return rebuilt == block ? block : rebuilt;
    }

    /// <summary>A run of straight-line statements with each repeated expression bound once, the largest first.</summary>
    private List<Statement> Run(List<Statement> run)
    {
        var statements = new List<Statement>(run);
        while (Repeated(statements) is var (node, first, last))
        {
            string local = _b.Fresh(Stem(node), _b.Nodes[node].Type);
            int read = _b.Read(local);
            for (int k = first; k <= last; k++)
                statements[k] = Replace(statements[k], node, read);
            statements.Insert(first, new Declare(local, node, statements[first].Source));
        }
        return statements;
    }

    /// <summary>
    /// The largest expression worth binding that the statements compute twice or more with nothing
    /// it reads written in between, and the first and last statement of those uses.
    /// </summary>
    private (int Node, int First, int Last)? Repeated(List<Statement> statements)
    {
        var uses = new Dictionary<int, List<int>>();
        for (int k = 0; k < statements.Count; k++)
            foreach (int root in FunctionFacts.OwnExpressions(statements[k]))
                Occurrences(root, k, uses);

        (int Node, int First, int Last)? best = null;
        int bestSize = 0;
        foreach (var pair in uses.Where(p => p.Value.Count >= 2 && IsWorthBinding(p.Key)))
        {
            int size = Size(pair.Key);
            if (size <= bestSize) continue;
            HashSet<string> reads = FunctionFacts.Reads(_b.Nodes, pair.Key);
            // Uses with no write of what the expression reads between them compute one value; a
            // statement's own write lands after its expression, so it only separates later uses.
            List<int> k = pair.Value;
            for (int from = 0, to = 0; from < k.Count; from = to + 1)
            {
                to = from;
                while (to + 1 < k.Count && Enumerable.Range(k[to], k[to + 1] - k[to]).All(s => !FunctionFacts.OwnWrites(statements[s]).Any(reads.Contains)))
                    to++;
                if (to > from)
                {
                    best = (pair.Key, k[from], k[to]);
                    bestSize = size;
                    break;
                }
            }
        }
        return best;
    }

    /// <summary>Records statement <paramref name="statement"/> once per place each node appears in the tree of <paramref name="root"/>.</summary>
    private void Occurrences(int root, int statement, Dictionary<int, List<int>> uses)
    {
        var stack = new Stack<int>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (!uses.TryGetValue(id, out List<int>? list)) uses[id] = list = new List<int>();
            list.Add(statement);
            // Below a node seen twice its inputs are counted again, but binding the outer node first makes them one use.
            foreach (int input in _b.Nodes[id].Inputs) stack.Push(input);
        }
    }

    private bool IsWorthBinding(int id)
    {
        Node n = _b.Nodes[id];
        if (n.Inputs.Count == 0 || n.Type == DType.Bool) return false;
        return n.Op == OpKind.Divide || IsCall(n.Op) || Operations(id) >= 2;
    }

    /// <summary>The Math functions that cost a call: transcendental ones, roots and powers.</summary>
    private static bool IsCall(OpKind op) =>
        op is OpKind.Exp or OpKind.Log or OpKind.Sin or OpKind.Cos or OpKind.Tan or OpKind.Sqrt or OpKind.Pow or OpKind.Tanh
            or OpKind.Sinh or OpKind.Cosh or OpKind.Asin or OpKind.Acos or OpKind.Atan or OpKind.Atan2 or OpKind.Log10 or OpKind.Sigmoid;

    /// <summary>How many operations (nodes that are not leaves) an expression has, shared ones counted where they appear.</summary>
    private int Operations(int id)
    {
        Node n = _b.Nodes[id];
        if (n.Inputs.Count == 0 || n.Op is OpKind.Load && _b.Nodes[n.Inputs[0]].Inputs.Count == 0) return 0;
        return (n.Op is OpKind.Load or OpKind.Convert ? 0 : 1) + n.Inputs.Sum(Operations);
    }

    private int Size(int id) => 1 + _b.Nodes[id].Inputs.Sum(Size);

    /// <summary>The local's name: the Math function's (<c>exp</c>, <c>sqrt</c>), else <c>t</c>.</summary>
    private string Stem(int id)
    {
        OpKind op = _b.Nodes[id].Op;
        return IsCall(op) ? op.ToString().ToLowerInvariant() : "t";
    }

    private Statement Replace(Statement s, int node, int read)
    {
        var memo = new Dictionary<int, int>();
        int R(int id)
        {
            if (id == node) return read;
            if (memo.TryGetValue(id, out int done)) return done;
            Node n = _b.Nodes[id];
            int result = n.Inputs.Count == 0 ? id : _b.Nodes.Remake(n, n.Inputs.Select(R).ToArray());
            memo[id] = result;
            return result;
        }
        return s switch
        {
            Declare d => d with { Value = R(d.Value) },
            Assign a => a with { Value = R(a.Value) },
            Store st => st with { Index = R(st.Index), Value = R(st.Value) },
            Push p => p with { Value = R(p.Value) },
            _ => s,
        };
    }
}
