using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;
using Dsl.Generator.Ir.Functions;

namespace Dsl.Generator.Autodiff.Functions;

/// <summary>
/// Inlines a custom rule into a derivative at a call of its function: each of the rule's
/// parameters is bound to a value of the caller (an argument, the call's result, a tangent or a
/// cotangent), in a fresh local when the rule writes it or the value is an expression, and the
/// rule's statements are copied in. Both modes use it: reverse mode with the VJP rule (or the
/// transposed JVP rule), forward mode with the JVP rule.
/// </summary>
internal sealed class CustomRuleInliner
{
    private readonly FunctionBuilder _b;
    private readonly Function _rule;
    private readonly HashSet<string> _written;
    private readonly Dictionary<string, string> _bindings = new();
    private readonly List<Statement> _statements = new();
    private readonly LocationInfo? _source;
    private int _next;

    public CustomRuleInliner(FunctionBuilder b, Function rule, LocationInfo? source)
    {
        _b = b;
        _rule = rule;
        _source = source;
        _written = FunctionFacts.Writes(rule.Body);
    }

    /// <summary>Binds the rule's next parameter to a scalar node, or, for an array parameter, to the array the node reads.</summary>
    public void Bind(int node)
    {
        string parameter = _rule.Parameters[_next++];
        Node n = _b.Nodes[node];
        if (n.Op == OpKind.Variable && (_b[n.Name!].IsArray || !_written.Contains(parameter)))
        {
            _bindings[parameter] = n.Name!;
            return;
        }
        string local = _b.Fresh(_rule.Name + "_" + parameter, _rule[parameter].Type);
        _statements.Add(new Declare(local, _b.Nodes.Convert(node, _rule[parameter].Type), _source));
        _bindings[parameter] = local;
    }

    /// <summary>Binds the rule's next parameter to zero: a zero scalar, or a new zero array as long as <paramref name="like"/>.</summary>
    public void BindZero(string? like)
    {
        string parameter = _rule.Parameters[_next];
        if (!_rule[parameter].IsArray)
        {
            Bind(_b.Nodes.Constant(0, _rule[parameter].Type));
            return;
        }
        _next++;
        string zeros = _b.Fresh(_rule.Name + "_" + parameter, _rule[parameter].Type, isArray: true);
        _statements.Add(new Allocate(zeros, _b.Nodes.Length(like!), _source));
        _bindings[parameter] = zeros;
    }

    /// <summary>The rule's statements after the bindings, and the caller's variables of its results.</summary>
    public (List<Statement> Statements, List<string> Results) Inline()
    {
        var inliner = new Inliner(_b, _rule, _bindings, _source, new HashSet<string>());
        _statements.AddRange(inliner.Body());
        return (_statements, _rule.Results.Select(inliner.Name).ToList());
    }
}
