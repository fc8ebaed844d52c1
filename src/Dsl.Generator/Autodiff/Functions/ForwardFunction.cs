using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;
using Dsl.Generator.Ir.Functions;

namespace Dsl.Generator.Autodiff.Functions;

/// <summary>
/// Forward mode on a scalar function (JAX's <c>jvp</c>): every variable that depends on the
/// differentiated parameters gets a tangent <c>v_dot</c> (arrays a tangent array, tapes a tangent
/// tape), assigned just before the variable from <see cref="ForwardMode.Tangent"/> over the
/// statement's expression. Loops and branches keep their shape, so this applies as well to the
/// output of <see cref="ReverseFunction"/>: forward over reverse is how Hessians are made.
/// </summary>
internal sealed class ForwardFunction
{
    private readonly Function _source;
    private readonly FunctionBuilder _b;
    private readonly HashSet<string> _active;
    private readonly Dictionary<string, string> _dot = new();

    private ForwardFunction(Function source, IEnumerable<string> wrt, FunctionBuilder b)
    {
        _source = source;
        _b = b;
        _active = new HashSet<string>(FunctionFacts.Varied(b.Nodes, source.Body, wrt)
            .Where(v => Types.IsFloat(source[v].Type)));
    }

    /// <summary>
    /// The JVP of <paramref name="f"/>: its parameters, then a tangent per <paramref name="wrt"/>
    /// parameter; it returns its results, then their tangents.
    /// </summary>
    public static Function Jvp(Function f, IReadOnlyList<string> wrt, string name)
    {
        var b = new FunctionBuilder(f);
        var t = new ForwardFunction(f, wrt, b);
        var parameters = f.Parameters.Concat(wrt.Select(t.Dot)).ToList();
        var body = new List<Statement>();
        body.AddRange(t.Transform(f.Body));

        var results = new List<string>(f.Results);
        foreach (string r in f.Results)
        {
            if (t._active.Contains(r)) { results.Add(t.Dot(r)); continue; }
            string zero = t.Dot(r);
            Variable v = f[r];
            body.Add(v.IsArray ? new Allocate(zero, b.Nodes.Length(r)) : new Declare(zero, b.Nodes.Constant(0, v.Type)));
            results.Add(zero);
        }
        var groups = f.ParameterGroups.Concat(parameters.Skip(f.Parameters.Count).Select(d => new ParameterGroup(d, ResultLayout.Single)));
        return b.Build(name, parameters, new Block(body.ToEquatableArray()), results, groups: groups);
    }

    private IEnumerable<Statement> Transform(Block block)
    {
        foreach (Statement s in block.Statements)
        {
            _b.Nodes.Source = s.Source;
            switch (s)
            {
                case Declare d when _active.Contains(d.Target) && _b.Nodes[d.Value].Op == OpKind.Call:
                    yield return s;
                    foreach (Statement tangent in CustomTangent(d))
                        yield return tangent;
                    continue;
                case Declare d when _active.Contains(d.Target):
                    yield return new Declare(Dot(d.Target), Tangent(d.Value, d.Target), s.Source);
                    break;
                case Assign a when _active.Contains(a.Target):
                    yield return new Assign(Dot(a.Target), Tangent(a.Value, a.Target), s.Source);
                    break;
                case Allocate a when _active.Contains(a.Target):
                    yield return new Allocate(Dot(a.Target), a.Length, s.Source);
                    break;
                case Store st when _active.Contains(st.Target) && ForwardMode.Tangent(_b.Nodes, st.Value, LeafTangent) is int tangent:
                    yield return st with { Target = Dot(st.Target), Value = TakenBranch.Sink(_b.Nodes, tangent) };
                    break;
                case Push p when _active.Contains(p.Tape):
                    yield return new Push(Dot(p.Tape), Tangent(p.Value, p.Tape), s.Source);
                    break;
                case Pop p when _active.Contains(p.Tape):
                    yield return new Pop(Dot(p.Tape), Dot(p.Target), s.Source);
                    break;
                case Pop p when _active.Contains(p.Target):
                    yield return new Assign(Dot(p.Target), _b.Nodes.Constant(0, _source[p.Target].Type), s.Source);
                    break;
                case If i:
                    yield return i with { Then = Of(Transform(i.Then)), Else = Of(Transform(i.Else)) };
                    continue;
                case For f:
                    yield return f with { Body = Of(Transform(f.Body)) };
                    continue;
            }
            yield return s;
        }
    }

    /// <summary>
    /// The tangent of <c>r = F(args)</c> for a function with custom rules: its JVP rule inlined
    /// after the call with the arguments, r and the arguments' tangents (zero where an argument
    /// does not vary). A function with only a VJP rule cannot be pushed forward, as in JAX.
    /// </summary>
    private IEnumerable<Statement> CustomTangent(Declare d)
    {
        GraphBuilder g = _b.Nodes;
        Node call = g[d.Value];
        CustomRule rule = _b.RuleOf(call);
        if (rule.Jvp is null)
            throw new MissingJvpRule(rule.Function);
        var inliner = new CustomRuleInliner(_b, rule.Jvp, d.Source);
        foreach (int argument in call.Inputs) inliner.Bind(argument);
        inliner.Bind(_b.Read(d.Target));
        foreach (int argument in call.Inputs.Where(a => Types.IsFloat(g[a].Type)))
        {
            Node node = g[argument];
            if (node.Op == OpKind.Variable && _b[node.Name!].IsArray)
            {
                if (_active.Contains(node.Name!)) inliner.Bind(_b.Read(Dot(node.Name!)));
                else inliner.BindZero(node.Name);
            }
            else
                inliner.Bind(ForwardMode.Tangent(g, argument, LeafTangent) ?? g.Constant(0, node.Type));
        }
        var (statements, results) = inliner.Inline();
        statements.Add(new Declare(Dot(d.Target), _b.Read(results[0]), d.Source));
        return statements;
    }

    /// <summary>The tangent of an expression (a ternary's of the side taken alone), or a typed zero.</summary>
    private int Tangent(int value, string target) =>
        ForwardMode.Tangent(_b.Nodes, value, LeafTangent) is int tangent ? TakenBranch.Sink(_b.Nodes, tangent) : _b.Nodes.Constant(0, _source[target].Type);

    private int? LeafTangent(Node leaf) => leaf.Op switch
    {
        OpKind.Variable when _active.Contains(leaf.Name!) => _b.Read(Dot(leaf.Name!)),
        OpKind.Load when _active.Contains(leaf.Name!) => _b.Nodes.Load(Dot(leaf.Name!), leaf.Inputs[0], leaf.Type, (int)leaf.Constant),
        _ => null,
    };

    private string Dot(string v)
    {
        if (!_dot.TryGetValue(v, out string? name))
        {
            Variable variable = _b[v];
            _dot[v] = name = _b.Fresh(v + "_dot", variable.Type, variable.IsArray, variable.IsTape);
        }
        return name;
    }

    private static Block Of(IEnumerable<Statement> statements) => new(statements.ToEquatableArray());
}
