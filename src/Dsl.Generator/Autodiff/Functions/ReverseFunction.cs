using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;
using Dsl.Generator.Ir.Functions;

namespace Dsl.Generator.Autodiff.Functions;

/// <summary>
/// Reverse mode on a scalar function, by source transformation as Tapenade and Clad do it: a
/// forward sweep runs the function, then a reverse sweep walks its statements backwards, and each
/// statement's adjoint comes from the op rules of <see cref="ReverseMode.Backpropagate"/> applied
/// to its expression. Every variable <c>v</c> that matters gets an adjoint <c>v_bar</c>; arrays get
/// adjoint arrays. Values a loop overwrites are either recomputed in the reverse loop (locals of
/// the body that read nothing the loop changes) or saved on a tape (a stack) before they are
/// overwritten, and only when the reverse sweep reads them. The output is plain and eager;
/// <see cref="Fusion.Functions.FunctionSimplifier"/> then folds it into readable code.
/// </summary>
internal sealed class ReverseFunction
{
    private readonly Function _source;
    private readonly FunctionBuilder _b;
    private readonly HashSet<string> _active;
    private readonly Dictionary<string, string> _bar = new();
    private readonly Dictionary<string, string> _tape = new();
    private readonly List<Statement> _top = new();
    private readonly Dictionary<string, int> _seeds;
    private HashSet<string> _taped = new();
    private HashSet<string> _hoisted = new();
    private readonly HashSet<string> _needed = new();
    private int _loadVersion = 1_000_000;

    private ReverseFunction(Function source, IReadOnlyCollection<string> wrt, Dictionary<string, int> seeds, FunctionBuilder b)
    {
        _source = source;
        _b = b;
        _seeds = seeds;
        _wrt = wrt;
        HashSet<string> varied = FunctionFacts.Varied(b.Nodes, source.Body, wrt);
        varied.IntersectWith(FunctionFacts.Useful(b.Nodes, source.Body, seeds.Keys, DifferentiatedArguments));
        _active = new HashSet<string>(varied.Where(v => Types.IsFloat(source[v].Type)));
    }

    private readonly IReadOnlyCollection<string> _wrt;

    /// <summary>
    /// The vector-Jacobian product of <paramref name="f"/>: its parameters, then one cotangent per
    /// result (or, with <paramref name="unitSeed"/>, none: a scalar result seeded with 1, which is
    /// <c>grad</c>); it returns the results when <paramref name="keepValue"/>, then the adjoint of each
    /// <paramref name="wrt"/> parameter. The last <paramref name="aux"/> results are auxiliary (JAX's
    /// <c>has_aux</c>): not differentiated, and returned as computed, after the value when it is
    /// kept and after the adjoints when it is not.
    /// </summary>
    public static Function Vjp(Function f, IReadOnlyList<string> wrt, bool unitSeed, bool keepValue, string name, int aux = 0, string? layout = null)
    {
        var b = new FunctionBuilder(f);
        var seeds = new Dictionary<string, int>();
        var parameters = new List<string>(f.Parameters);
        var differentiated = f.Results.Take(f.Results.Count - aux).ToList();
        var auxiliary = f.Results.Skip(differentiated.Count).ToList();
        foreach (string result in differentiated)
        {
            Variable r = f[result];
            if (unitSeed)
            {
                seeds[result] = b.Nodes.Constant(1, r.Type);
                continue;
            }
            string cotangent = b.Fresh(result + "_cotangent", r.Type, r.IsArray);
            parameters.Add(cotangent);
            seeds[result] = b.Read(cotangent);
        }

        var t = new ReverseFunction(f, wrt, seeds, b);
        t.Sweep(record: true);
        t._taped = new HashSet<string>(t._needed.Where(t.IsOverwritten));
        var topLevel = new HashSet<string>(f.Body.Statements.OfType<Declare>().Select(d => d.Target));
        t._hoisted = new HashSet<string>(FunctionFacts.All(f.Body).OfType<Declare>().Select(d => d.Target)
            .Where(v => t._needed.Contains(v) && !topLevel.Contains(v) && !t._recomputable.Contains(v)));
        Block body = t.Sweep(record: false);

        var gradients = wrt.Select(t.Bar).ToList();
        var results = keepValue ? differentiated.Concat(auxiliary).Concat(gradients) : gradients.Concat(auxiliary);
        var groups = f.ParameterGroups.Concat(parameters.Skip(f.Parameters.Count).Select(c => new ParameterGroup(c, ResultLayout.Single)));
        return b.Build(name, parameters, body, results, layout, groups);
    }

    // ---- Sweeps ----

    private HashSet<string> _overwritten = new();
    private HashSet<string> _recomputable = new();

    private Block Sweep(bool record)
    {
        _top.Clear();
        _overwritten = new HashSet<string>();
        _recomputable = new HashSet<string>();
        FindOverwrites(_source.Body, inLoop: false);

        var statements = new List<Statement>();
        (List<Statement> forward, List<Statement> reverse) = Transform(_source.Body);
        // A parameter the output does not depend on still returns its (zero) adjoint.
        foreach (string p in _source.Parameters.Where(p => _active.Contains(p) || _wrt.Contains(p)))
            statements.AddRange(DeclareAdjoint(p));
        statements.AddRange(forward);
        statements.AddRange(reverse);
        if (record)
            foreach (Statement s in reverse)
                _needed.UnionWith(FunctionFacts.Reads(_b.Nodes, s));
        IEnumerable<Statement> stacks = _tape.Values.Concat(_bar.Values.Where(n => _b[n].IsTape))
            .Select(n => new Allocate(n, _b.Nodes.Constant(0, DType.I32)));
        return new Block(stacks.Concat(_top).Concat(statements).ToEquatableArray());
    }

    private bool IsOverwritten(string v) => _overwritten.Contains(v) && !_recomputable.Contains(v);

    /// <summary>
    /// Which variables a later statement or iteration overwrites, and which locals of a loop body
    /// can simply be recomputed in the reverse loop instead of being taped.
    /// </summary>
    private void FindOverwrites(Block block, bool inLoop)
    {
        foreach (Statement s in block.Statements)
            switch (s)
            {
                case Declare d when inLoop: _overwritten.Add(d.Target); break;
                case Assign a: _overwritten.Add(a.Target); break;
                case Pop p: _overwritten.Add(p.Target); break;
                case If i: FindOverwrites(i.Then, inLoop); FindOverwrites(i.Else, inLoop); break;
                case For f:
                    FindOverwrites(f.Body, inLoop: true);
                    HashSet<string> changed = FunctionFacts.Writes(f.Body);
                    foreach (Declare d in f.Body.Statements.OfType<Declare>())
                    {
                        bool singleDefinition = FunctionFacts.All(_source.Body).Count(x => FunctionFacts.OwnWrites(x).Contains(d.Target)) == 1;
                        HashSet<string> reads = FunctionFacts.Reads(_b.Nodes, d.Value);
                        if (singleDefinition && reads.All(r => !changed.Contains(r) || _recomputable.Contains(r)))
                            _recomputable.Add(d.Target);
                    }
                    break;
            }
    }

    private (List<Statement> Forward, List<Statement> Reverse) Transform(Block block)
    {
        var forward = new List<Statement>();
        var reverses = new List<List<Statement>>();
        foreach (Statement s in block.Statements)
        {
            var reverse = new List<Statement>();
            switch (s)
            {
                case If i:
                {
                    var (thenF, thenR) = Transform(i.Then);
                    var (elseF, elseR) = Transform(i.Else);
                    forward.Add(i with { Then = Of(thenF), Else = Of(elseF) });
                    reverse.Add(i with { Then = Of(Declarations(i.Then).Concat(thenR)), Else = Of(Declarations(i.Else).Concat(elseR)) });
                    break;
                }
                case For f:
                {
                    var (bodyF, bodyR) = Transform(f.Body);
                    forward.Add(f with { Body = Of(bodyF) });
                    IEnumerable<Statement> recompute = f.Body.Statements.OfType<Declare>().Where(d => _recomputable.Contains(d.Target));
                    reverse.Add(f with { Descending = !f.Descending, Body = Of(recompute.Concat(Declarations(f.Body)).Concat(bodyR)) });
                    break;
                }
                default:
                    string? saved = Saves(s);
                    // A custom rule reads the call's result, so that value is restored only after the rule.
                    bool readsOwnResult = IsCall(s);
                    if (saved is not null)
                        forward.Add(new Push(Tape(saved), _b.Read(saved), s.Source));
                    if (saved is not null && !readsOwnResult)
                        reverse.Add(new Pop(Tape(saved), saved, s.Source));
                    forward.Add(HoistIfTaped(s));
                    reverse.AddRange(Adjoint(s));
                    if (saved is not null && readsOwnResult)
                        reverse.Add(new Pop(Tape(saved), saved, s.Source));
                    break;
            }
            reverses.Add(reverse);
        }
        if (ReferenceEquals(block, _source.Body))
            reverses.Add(Declarations(block).ToList());
        reverses.Reverse();
        return (forward, reverses.SelectMany(r => r).ToList());
    }

    /// <summary>The variable a statement overwrites whose old value the reverse sweep reads, if any.</summary>
    private string? Saves(Statement s) => s switch
    {
        Assign a when _taped.Contains(a.Target) => a.Target,
        Declare d when _taped.Contains(d.Target) && _hoisted.Contains(d.Target) => d.Target,
        Pop p when _taped.Contains(p.Target) => p.Target,
        _ => null,
    };

    /// <summary>
    /// A local of a nested block that the reverse sweep reads (a taped loop local, a branch's
    /// local) must outlive its block, so it is declared once at the top.
    /// </summary>
    private Statement HoistIfTaped(Statement s)
    {
        if (s is not Declare d || !_hoisted.Contains(d.Target))
            return s;
        // Once, though several blocks may declare it (a loop's local that a reverse loop recomputes).
        if (!_top.OfType<Declare>().Any(t => t.Target == d.Target))
            _top.Add(new Declare(d.Target, _b.Nodes.Constant(0, _source[d.Target].Type), d.Source));
        return new Assign(d.Target, d.Value, d.Source);
    }

    /// <summary>The adjoints of a block's own locals, declared where the reverse of the block starts.</summary>
    private IEnumerable<Statement> Declarations(Block block)
    {
        foreach (Statement s in block.Statements)
            if (s is Declare or Allocate && FunctionFacts.OwnWrites(s).First() is var v && _active.Contains(v))
                foreach (Statement declaration in DeclareAdjoint(v))
                    yield return declaration;
    }

    private IEnumerable<Statement> DeclareAdjoint(string v)
    {
        Variable variable = _source[v];
        if (!variable.IsArray)
            return new[] { new Declare(Bar(v), _seeds.TryGetValue(v, out int seed) ? seed : _b.Nodes.Constant(0, variable.Type)) };
        var allocate = new Allocate(Bar(v), _b.Nodes.Length(v));
        if (!_seeds.TryGetValue(v, out int cotangent))
            return new[] { allocate };
        // The caller's cotangent is copied, never accumulated into: a Jacobian driver reuses it.
        string seedArray = _b.Nodes[cotangent].Name!;
        string k = _b.Fresh("k", DType.I32);
        var copy = new Store(Bar(v), _b.Read(k), _b.Nodes.Load(seedArray, _b.Read(k), variable.Type), false);
        return new Statement[] { allocate, new For(k, _b.Nodes.Constant(0, DType.I32), _b.Nodes.Length(v), false, new Block(EquatableArray.Of<Statement>(copy))) };
    }

    // ---- One statement's adjoint ----

    private IEnumerable<Statement> Adjoint(Statement s)
    {
        GraphBuilder g = _b.Nodes;
        g.Source = s.Source;
        switch (s)
        {
            case Declare d when _active.Contains(d.Target) && IsCall(d):
                return CustomAdjoint(d);
            case Declare d when _active.Contains(d.Target):
                return Pullback(d.Value, _b.Read(Bar(d.Target)), d.Target, reset: false, s);
            case Assign a when _active.Contains(a.Target):
                return Pullback(a.Value, _b.Read(Bar(a.Target)), a.Target, reset: true, s);
            case Store st when _active.Contains(st.Target):
                return Pullback(st.Value, g.Load(Bar(st.Target), st.Index, _source[st.Target].Type, _loadVersion++), null, reset: false, s);
            case Pop p when _active.Contains(p.Target):
                return new Statement[]
                {
                    new Push(Tape(Bar(p.Tape)), _b.Read(Bar(p.Target)), s.Source),
                    new Assign(Bar(p.Target), g.Constant(0, _source[p.Target].Type), s.Source),
                };
            case Push p when _active.Contains(p.Tape):
                string popped = HoistedTemporary(p.Tape + "_cotangent", _source[p.Tape].Type);
                return new Statement[] { new Pop(Tape(Bar(p.Tape)), popped, s.Source) }
                    .Concat(Pullback(p.Value, _b.Read(popped), null, reset: false, s));
            default:
                return Enumerable.Empty<Statement>();
        }
    }

    /// <summary>
    /// The adjoint statements of <c>target = value</c> (or of a store, when target is null): each
    /// active variable read gets <c>u_bar += ∂value/∂u · cotangent</c>, each array element read
    /// <c>a_bar[i] += ...</c>; the target's own adjoint is replaced last (it may read itself).
    /// </summary>
    private IEnumerable<Statement> Pullback(int value, int cotangent, string? target, bool reset, Statement s)
    {
        GraphBuilder g = _b.Nodes;
        var result = new List<Statement>();
        Dictionary<int, int> cotangents = ReverseMode.Backpropagate(g, value, cotangent, id => Types.IsFloat(g[id].Type));
        int? self = null;
        bool selfRead = false;
        foreach (KeyValuePair<int, int> pair in cotangents.OrderBy(p => p.Key))
        {
            Node leaf = g[pair.Key];
            int sunk = TakenBranch.Sink(g, pair.Value);
            if (leaf.Op == OpKind.Variable && _active.Contains(leaf.Name!))
            {
                if (leaf.Name == target) { self = pair.Value == cotangent ? null : sunk; selfRead = true; continue; }
                string bar = Bar(leaf.Name!);
                result.Add(new Assign(bar, g.Add(_b.Read(bar), sunk), s.Source));
            }
            else if (leaf.Op == OpKind.Load && _active.Contains(leaf.Name!))
                result.Add(new Store(Bar(leaf.Name!), leaf.Inputs[0], sunk, Accumulate: true, s.Source));
        }
        // The target's old value flows on with weight self (1 for an accumulation, which needs no statement).
        if (target is not null && selfRead && self is not null)
            result.Add(new Assign(Bar(target), self.Value, s.Source));
        else if (target is not null && reset && !selfRead)
            result.Add(new Assign(Bar(target), g.Constant(0, _source[target].Type), s.Source));
        return result;
    }

    // ---- Custom rules ----

    private bool IsCall(Statement s) => s is Declare d && _b.Nodes[d.Value].Op == OpKind.Call;

    /// <summary>
    /// The adjoint of <c>r = F(args)</c> for a function with custom rules: its VJP rule (or its JVP
    /// rule transposed) inlined with the arguments, r and r's adjoint, and the cotangent it returns
    /// for each float argument pulled back into that argument's expression (an array argument's
    /// cotangent added element by element).
    /// </summary>
    private IEnumerable<Statement> CustomAdjoint(Declare d)
    {
        GraphBuilder g = _b.Nodes;
        Node call = g[d.Value];
        CustomRule rule = _b.RuleOf(call);
        Function vjp = rule.Vjp ?? Transpose(rule.Jvp!, call.Inputs.Count(IsFloat));
        var inliner = new CustomRuleInliner(_b, vjp, d.Source);
        foreach (int argument in call.Inputs) inliner.Bind(argument);
        inliner.Bind(_b.Read(d.Target));
        if (rule.Vjp is null)
            foreach (int argument in call.Inputs.Where(IsFloat))
                inliner.BindZero(g[argument].Op == OpKind.Variable && _b[g[argument].Name!].IsArray ? g[argument].Name : null);
        inliner.Bind(_b.Read(Bar(d.Target)));
        var (statements, cotangents) = inliner.Inline();

        int next = 0;
        var differentiated = DifferentiatedArguments(call).ToList();
        foreach (int argument in call.Inputs.Where(IsFloat))
        {
            string cotangent = cotangents[next++];
            Node node = g[argument];
            if (!differentiated.Contains(argument))
                continue;
            if (node.Op == OpKind.Variable && _b[node.Name!].IsArray)
            {
                if (!_active.Contains(node.Name!)) continue;
                string k = _b.Fresh("k", DType.I32);
                var add = new Store(Bar(node.Name!), _b.Read(k), g.Load(cotangent, _b.Read(k), node.Type, _loadVersion++), Accumulate: true, d.Source);
                statements.Add(new For(k, g.Constant(0, DType.I32), g.Length(node.Name!), false, new Block(EquatableArray.Of<Statement>(add)), d.Source));
            }
            else
                statements.AddRange(Pullback(argument, _b.Read(cotangent), null, reset: false, d));
        }
        return statements;
    }

    private bool IsFloat(int node) => Types.IsFloat(_b.Nodes[node].Type);

    /// <summary>
    /// The float arguments of a call that its rule sends a cotangent back to: all of them, but for
    /// those whose VJP-rule result is the literal 0 (a stopped gradient), which contribute nothing,
    /// as JAX's symbolic zeros, so nothing upstream of them gets an adjoint.
    /// </summary>
    private IEnumerable<int> DifferentiatedArguments(Node call)
    {
        CustomRule rule = _b.RuleOf(call);
        var arguments = call.Inputs.Where(IsFloat).ToList();
        return rule.Vjp is null ? arguments : arguments.Where((_, k) => !FunctionFacts.IsConstantZero(rule.Vjp, rule.Vjp.Results[k]));
    }

    /// <summary>
    /// A JVP rule as a VJP rule: reverse mode on the rule with respect to its tangents, which it is
    /// linear in (JAX's transposition): parameters (args, result, tangents, cotangent), results
    /// the tangents' cotangents. The tangents are bound to zero where it is inlined.
    /// </summary>
    private static Function Transpose(Function jvp, int tangents) =>
        Vjp(jvp, jvp.Parameters.Skip(jvp.Parameters.Count - tangents).ToList(), unitSeed: false, keepValue: false, jvp.Name + "_Transposed");

    // ---- Names ----

    private string Bar(string v)
    {
        if (!_bar.TryGetValue(v, out string? name))
        {
            Variable variable = _b[v];
            _bar[v] = name = _b.Fresh(v + "_bar", variable.Type, variable.IsArray, variable.IsTape);
        }
        return name;
    }

    private string Tape(string v)
    {
        if (!_tape.TryGetValue(v, out string? name))
        {
            _tape[v] = name = _b.Fresh(v + "_tape", _b[v].Type, isTape: true);
        }
        return name;
    }

    private readonly Dictionary<string, string> _temporaries = new();

    private string HoistedTemporary(string stem, DType type)
    {
        if (!_temporaries.TryGetValue(stem, out string? name))
            _temporaries[stem] = name = _b.Fresh(stem, type);
        if (!_top.OfType<Declare>().Any(d => d.Target == name))
            _top.Add(new Declare(name, _b.Nodes.Constant(0, type)));
        return name;
    }

    private static Block Of(IEnumerable<Statement> statements) => new(statements.ToEquatableArray());
}
