using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;
using Dsl.Generator.Ir.Functions;

namespace Dsl.Generator.Autodiff.Functions;

/// <summary>
/// Copies a callee's statements into the caller: its variables get fresh names prefixed with the
/// callee's (parameters are bound to the caller's locals and arrays), its nodes are re-made in the
/// caller's graph, and every statement is stamped with the line of the call. The parser inlines
/// calls of differentiable functions with it, and the transforms inline custom rules.
/// </summary>
internal sealed class Inliner
{
    private readonly FunctionBuilder _b;
    private readonly Function _callee;
    private readonly Dictionary<string, string> _names;
    private readonly Dictionary<int, int> _nodes = new();
    private readonly LocationInfo? _call;
    private readonly HashSet<string> _written;

    public Inliner(FunctionBuilder b, Function callee, Dictionary<string, string> bindings, LocationInfo? call, HashSet<string> written)
    {
        _b = b;
        _callee = callee;
        _names = new Dictionary<string, string>(bindings);
        _call = call;
        _written = written;
        b.AddRules(callee.Rules);
    }

    /// <summary>The caller's name for one of the callee's variables, made on first use.</summary>
    public string Name(string calleeVariable)
    {
        if (!_names.TryGetValue(calleeVariable, out string? name))
        {
            Variable v = _callee[calleeVariable];
            _names[calleeVariable] = name = _b.Fresh(_callee.Name + "_" + calleeVariable, v.Type, v.IsArray, v.IsTape);
        }
        return name;
    }

    public IEnumerable<Statement> Body() => Copy(_callee.Body).Statements;

    private Block Copy(Block block) => new(block.Statements.Select(Copy).ToEquatableArray());

    private Statement Copy(Statement s)
    {
        Statement copy = s switch
        {
            Declare d => new Declare(Name(d.Target), Node(d.Value)),
            Assign a => new Assign(Name(a.Target), Node(a.Value)),
            Allocate a => new Allocate(Name(a.Target), Node(a.Length)),
            Store st => new Store(Name(st.Target), Node(st.Index), Node(st.Value), st.Accumulate),
            If i => new If(Node(i.Condition), Copy(i.Then), Copy(i.Else)),
            For f => new For(Name(f.Index), Node(f.Start), Node(f.End), f.Descending, Copy(f.Body)),
            Push p => new Push(Name(p.Tape), Node(p.Value)),
            Pop p => new Pop(Name(p.Tape), Name(p.Target)),
            _ => throw new System.InvalidOperationException("cannot inline " + s.GetType().Name),
        };
        if (copy is Store or Allocate)
            _written.UnionWith(FunctionFacts.OwnWrites(copy));
        return copy with { Source = _call };
    }

    private int Node(int id)
    {
        if (_nodes.TryGetValue(id, out int done)) return done;
        Node n = _callee.Nodes[id];
        int copy = n.Op switch
        {
            OpKind.Variable => _b.Nodes.Variable(Name(n.Name!), n.Type),
            OpKind.Length => _b.Nodes.Length(Name(n.Name!)),
            OpKind.Load => _b.Nodes.Load(Name(n.Name!), Node(n.Inputs[0]), n.Type, (int)n.Constant),
            _ => _b.Nodes.Remake(n, n.Inputs.Select(Node).ToArray()),
        };
        _nodes[id] = copy;
        return copy;
    }
}
