using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Autodiff.Functions;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;
using Dsl.Generator.Ir.Functions;

namespace Dsl.Generator.Fusion.Functions;

/// <summary>
/// Turns the eager output of the transforms into code a person would write, with five classic
/// passes run to a fixed point: copy and constant propagation, folding a zero-initialised
/// accumulator into its first contribution, inlining single-use locals, writing the transform's
/// sums and products in their folded form (<see cref="Arithmetic"/>), and dead-code removal.
/// Substituting a node re-makes its users through <see cref="GraphBuilder.Remake"/>, so the
/// builder's identities fire again: <c>1 * x</c> becomes <c>x</c>, <c>0 + c</c> becomes <c>c</c>.
/// </summary>
internal sealed class FunctionSimplifier
{
    private readonly FunctionBuilder _b;
    private readonly Function _f;
    private readonly HashSet<string> _user;
    private Dictionary<string, int> _lengths = new();

    private FunctionSimplifier(Function f, HashSet<string> user)
    {
        _f = f;
        _b = new FunctionBuilder(f);
        _user = user;
    }

    /// <summary>
    /// <paramref name="f"/> simplified; the statements that write one of <paramref name="user"/>'s
    /// variables (the source function's, copied by the transform) keep the user's arithmetic as
    /// written, so a value the derived function returns rounds as the source's does.
    /// </summary>
    public static Function Simplify(Function f, IEnumerable<string>? user = null)
    {
        var names = new HashSet<string>(user ?? f.Variables.Select(v => v.Name));
        for (int round = 0; round < 32; round++)
        {
            Function next = new FunctionSimplifier(f, names).Run();
            if (next.Body == f.Body) return next;
            f = next;
        }
        return f;
    }

    private Function Run()
    {
        Block body = _f.Body;
        body = DropSelfAssignments(body);
        body = Propagate(body);
        body = FoldAccumulators(body);
        body = InlineSingleUse(body);
        body = Tidy(body, new Arithmetic(_b.Nodes));
        body = DeadCode.Remove(_b.Nodes, body, _f.Results);
        return _f with { Body = body, Variables = _b.Variables.ToEquatableArray(), Nodes = _b.Nodes.Snapshot() };
    }

    // ---- Self-assignments ----

    /// <summary><c>v = v;</c>, which an adjoint with a zero contribution folds to, goes.</summary>
    private Block DropSelfAssignments(Block block)
    {
        var list = block.Statements
            .Where(s => !(s is Assign a && _b.Nodes[a.Value] is { Op: OpKind.Variable } n && n.Name == a.Target))
            .Select(s => Nested(s, DropSelfAssignments)).ToList();
        return list.Count == block.Statements.Count && list.SequenceEqual(block.Statements) ? block : new Block(list.ToEquatableArray());
    }

    // ---- Copy and constant propagation ----

    /// <summary>A scalar defined once as a constant or a copy of a variable nobody writes is replaced by its value.</summary>
    private Block Propagate(Block body)
    {
        var definitions = Definitions(body);
        var stored = new HashSet<string>(FunctionFacts.All(body).OfType<Store>().Select(s => s.Target));
        var substitution = new Dictionary<string, int>();
        // An array allocated once, outside loops and branches, with a length nothing changes: its Length is that length.
        _lengths = body.Statements.OfType<Allocate>()
            .Where(a => definitions[a.Target] == 1 && !_f[a.Target].IsTape && !FunctionFacts.Reads(_b.Nodes, a.Length).Overlaps(definitions.Keys))
            .ToDictionary(a => a.Target, a => a.Length);
        foreach (Declare d in FunctionFacts.All(body).OfType<Declare>().Where(d => !stored.Contains(d.Target)))
        {
            if (definitions[d.Target] != 1 || _f.Results.Contains(d.Target)) continue;
            Node value = _b.Nodes[d.Value];
            bool copy = value.Op == OpKind.Variable && !definitions.ContainsKey(value.Name!) && _f[value.Name!].IsArray == _f[d.Target].IsArray;
            if ((value.Op == OpKind.Constant && !_f[d.Target].IsArray) || copy)
                substitution[d.Target] = d.Value;
        }
        bool lengths = _lengths.Count > 0 && FunctionFacts.All(body).SelectMany(FunctionFacts.OwnExpressions)
            .Any(e => FunctionFacts.Reads(_b.Nodes, e).Overlaps(_lengths.Keys));
        if (substitution.Count == 0 && !lengths) return body;
        return Rewrite(body, s => s is Declare d && substitution.ContainsKey(d.Target) ? null : s, substitution);
    }

    // ---- Accumulators ----

    /// <summary><c>double d = e; ... d = d + c;</c> with nothing in between touching d or e's inputs becomes <c>double d = e + c;</c>.</summary>
    private Block FoldAccumulators(Block block)
    {
        var list = block.Statements.Select(s => Nested(s, FoldAccumulators)).ToList();
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not Declare d || IsCall(d)) continue;
            HashSet<string> inputs = FunctionFacts.Reads(_b.Nodes, d.Value);
            for (int j = i + 1; j < list.Count; j++)
            {
                Statement s = list[j];
                if (s is Assign a && a.Target == d.Target && AccumulatedTerm(a) is int term
                    && !FunctionFacts.Reads(_b.Nodes, term).Contains(d.Target))
                {
                    list[j] = new Declare(d.Target, _b.Nodes.Add(d.Value, term), a.Source);
                    list.RemoveAt(i);
                    i--;
                    break;
                }
                if (Touches(s, d.Target) || FunctionFacts.Writes(new Block(EquatableArray.Of(s))).Overlaps(inputs))
                    break;
            }
        }
        return new Block(list.ToEquatableArray());
    }

    /// <summary>c, when the assignment is <c>d = d + c</c>; −c when it is <c>d = d − c</c>.</summary>
    private int? AccumulatedTerm(Assign a)
    {
        Node value = _b.Nodes[a.Value];
        if (value.Op is not (OpKind.Add or OpKind.Subtract)) return null;
        Node left = _b.Nodes[value.Inputs[0]], right = _b.Nodes[value.Inputs[1]];
        if (left.Op == OpKind.Variable && left.Name == a.Target) return value.Op == OpKind.Add ? right.Id : _b.Nodes.Negate(right.Id);
        if (right.Op == OpKind.Variable && right.Name == a.Target && value.Op == OpKind.Add) return left.Id;
        return null;
    }

    // ---- Arithmetic ----

    /// <summary>
    /// The transform's own statements with their sums and products folded (<see cref="Arithmetic"/>);
    /// an accumulation keeps its shape, <c>v = v ± m</c> and <c>a[i] += m</c>, with the sign out of m.
    /// </summary>
    private Block Tidy(Block block, Arithmetic arithmetic)
    {
        GraphBuilder g = _b.Nodes;
        var list = new List<Statement>();
        foreach (Statement s in block.Statements)
        {
            list.Add(s switch
            {
                Declare d when !_user.Contains(d.Target) => d with { Value = arithmetic.Normalize(d.Value) },
                Assign a when !_user.Contains(a.Target) && AccumulatedTerm(a) is int term
                    && arithmetic.Signed(term) is var (negative, magnitude) =>
                    a with { Value = negative ? g.Subtract(_b.Read(a.Target), magnitude) : g.Add(_b.Read(a.Target), magnitude) },
                Assign a when !_user.Contains(a.Target) => a with { Value = arithmetic.Normalize(a.Value) },
                Store { Accumulate: true } st when !_user.Contains(st.Target) && arithmetic.Signed(st.Value) is var (negative, magnitude) =>
                    st with { Index = arithmetic.Normalize(st.Index), Value = negative ? g.Negate(magnitude) : magnitude },
                Store st when !_user.Contains(st.Target) => st with { Index = arithmetic.Normalize(st.Index), Value = arithmetic.Normalize(st.Value) },
                _ => Nested(s, b => Tidy(b, arithmetic)),
            });
        }
        return new Block(list.ToEquatableArray());
    }

    // ---- Single-use locals ----

    /// <summary>
    /// A scalar declared once and read once, later in the same block (or in a branch of it), with
    /// nothing in between writing what it reads, is written into its use.
    /// </summary>
    private Block InlineSingleUse(Block body)
    {
        var definitions = Definitions(body);
        var uses = new Dictionary<string, int>();
        foreach (Statement s in FunctionFacts.All(body))
            foreach (int e in FunctionFacts.OwnExpressions(s))
                CountUses(e, uses);
        foreach (string r in _f.Results)
            uses[r] = uses.TryGetValue(r, out int n) ? n + 2 : 2;

        var candidates = new HashSet<string>(definitions.Where(p => p.Value == 1 && uses.TryGetValue(p.Key, out int n) && n == 1 && !_f[p.Key].IsArray).Select(p => p.Key));
        candidates.ExceptWith(FunctionFacts.All(body).OfType<Declare>().Where(IsCall).Select(d => d.Target));
        var substitution = new Dictionary<string, int>();
        Block result = InlineInto(body, candidates, substitution);
        return substitution.Count == 0 ? body : Rewrite(result, s => s, substitution);
    }

    private Block InlineInto(Block block, HashSet<string> candidates, Dictionary<string, int> substitution)
    {
        var list = block.Statements.Select(s => Nested(s, b => InlineInto(b, candidates, substitution))).ToList();
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not Declare d || !candidates.Contains(d.Target)) continue;
            HashSet<string> inputs = FunctionFacts.Reads(_b.Nodes, d.Value);
            for (int j = i + 1; j < list.Count; j++)
            {
                Statement s = list[j];
                bool reads = FunctionFacts.Reads(_b.Nodes, s).Contains(d.Target);
                if (reads)
                {
                    bool intoLoop = s is For f && !FunctionFacts.OwnExpressions(f).Any(e => FunctionFacts.Reads(_b.Nodes, e).Contains(d.Target));
                    bool writesInputs = s is For or If && FunctionFacts.Writes(new Block(EquatableArray.Of(s))).Overlaps(inputs);
                    if (!intoLoop && !writesInputs)
                    {
                        substitution[d.Target] = d.Value;
                        list.RemoveAt(i);
                        i--;
                    }
                    break;
                }
                if (FunctionFacts.Writes(new Block(EquatableArray.Of(s))).Overlaps(inputs))
                    break;
            }
        }
        return new Block(list.ToEquatableArray());
    }

    private void CountUses(int root, Dictionary<string, int> uses)
    {
        Node node = _b.Nodes[root];
        if (node.Op == OpKind.Variable)
            uses[node.Name!] = uses.TryGetValue(node.Name!, out int n) ? n + 1 : 1;
        foreach (int input in node.Inputs) CountUses(input, uses);
    }

    // ---- Helpers ----

    /// <summary>A call of a function with custom rules stays the whole value of its declaration, where the transforms find it.</summary>
    private bool IsCall(Declare d) => _b.Nodes[d.Value].Op == OpKind.Call;

    /// <summary>How many statements write each variable.</summary>
    private static Dictionary<string, int> Definitions(Block body)
    {
        var counts = new Dictionary<string, int>();
        foreach (Statement s in FunctionFacts.All(body))
            foreach (string w in FunctionFacts.OwnWrites(s).Where(w => s is not Store && s is not Push))
                counts[w] = counts.TryGetValue(w, out int n) ? n + 1 : 1;
        return counts;
    }

    private bool Touches(Statement s, string name) =>
        FunctionFacts.Reads(_b.Nodes, s).Contains(name) || FunctionFacts.Writes(new Block(EquatableArray.Of(s))).Contains(name);

    private static Statement Nested(Statement s, System.Func<Block, Block> map) => s switch
    {
        If i => i with { Then = map(i.Then), Else = map(i.Else) },
        For f => f with { Body = map(f.Body) },
        _ => s,
    };

    /// <summary>Every statement mapped (null drops it), with variables replaced by nodes in every expression.</summary>
    private Block Rewrite(Block block, System.Func<Statement, Statement?> map, Dictionary<string, int> substitution)
    {
        var memo = new Dictionary<int, int>();
        int E(int node) => Substitute(node, substitution, memo);
        var list = new List<Statement>();
        foreach (Statement original in block.Statements)
        {
            Statement? s = map(original);
            if (s is null) continue;
            list.Add(s switch
            {
                Declare d => d with { Value = E(d.Value) },
                Assign a => a with { Value = E(a.Value) },
                Allocate a => a with { Length = E(a.Length) },
                Store st => st with { Index = E(st.Index), Value = E(st.Value) },
                Push p => p with { Value = E(p.Value) },
                If i => i with { Condition = E(i.Condition), Then = Rewrite(i.Then, map, substitution), Else = Rewrite(i.Else, map, substitution) },
                For f => f with { Start = E(f.Start), End = E(f.End), Body = Rewrite(f.Body, map, substitution) },
                _ => s,
            });
        }
        return new Block(list.ToEquatableArray());
    }

    private int Substitute(int id, Dictionary<string, int> substitution, Dictionary<int, int> memo)
    {
        if (memo.TryGetValue(id, out int done)) return done;
        Node node = _b.Nodes[id];
        int result;
        if (node.Op == OpKind.Variable && substitution.TryGetValue(node.Name!, out int value))
            result = Substitute(value, substitution, memo);
        else if (node.Op == OpKind.Length && _lengths.TryGetValue(node.Name!, out int length))
            result = length;
        else if (node.Op is OpKind.Load or OpKind.Length && substitution.TryGetValue(node.Name!, out int alias) && _b.Nodes[alias].Op == OpKind.Variable)
        {
            string target = _b.Nodes[alias].Name!;
            result = node.Op == OpKind.Length ? _b.Nodes.Length(target)
                : _b.Nodes.Load(target, Substitute(node.Inputs[0], substitution, memo), node.Type, (int)node.Constant);
        }
        else
            result = node.Inputs.Count == 0 ? id : _b.Nodes.Remake(node, node.Inputs.Select(i => Substitute(i, substitution, memo)).ToArray());
        memo[id] = result;
        return result;
    }
}
