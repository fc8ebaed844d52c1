using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;

namespace Dsl.Generator.Ir.Functions;

/// <summary>
/// What the parser and the transforms write a <see cref="Function"/> with: the node builder
/// (hash-consing and the algebraic identities), the variable table with fresh names, and helpers
/// that read a node's variables.
/// </summary>
internal sealed class FunctionBuilder
{
    private readonly List<Variable> _variables = new();
    private readonly HashSet<string> _names = new();
    private readonly List<CustomRule> _rules = new();

    public FunctionBuilder(Function? start = null)
    {
        Nodes = new GraphBuilder(start?.Nodes);
        if (start is null)
            return;
        foreach (Variable v in start.Variables)
            Add(v);
        AddRules(start.Rules);
    }

    public GraphBuilder Nodes { get; }

    public IReadOnlyList<Variable> Variables => _variables;

    public Variable this[string name] => _variables.First(v => v.Name == name);

    public bool Has(string name) => _names.Contains(name);

    public void Add(Variable variable)
    {
        if (_names.Add(variable.Name))
            _variables.Add(variable);
    }

    /// <summary>Adds a variable named <paramref name="stem"/>, or stem_2, stem_3... if taken; returns the name.</summary>
    public string Fresh(string stem, DType type, bool isArray = false, bool isTape = false)
    {
        string name = stem;
        for (int n = 2; _names.Contains(name); n++)
            name = stem + "_" + n;
        Add(new Variable(name, type, isArray, isTape));
        return name;
    }

    /// <summary>Adds the rules of functions a statement calls (once per function).</summary>
    public void AddRules(IEnumerable<CustomRule> rules)
    {
        foreach (CustomRule rule in rules)
            if (!_rules.Any(r => r.Function == rule.Function))
                _rules.Add(rule);
    }

    /// <summary>The rules of the function a <see cref="OpKind.Call"/> node calls.</summary>
    public CustomRule RuleOf(Node call) => _rules.First(r => r.Function == call.Name);

    /// <summary>The node that reads <paramref name="name"/>.</summary>
    public int Read(string name) => Nodes.Variable(name, this[name].Type);

    /// <summary>
    /// The function; its results form a flat tuple unless <paramref name="layout"/> nests them, and
    /// each parameter is a C# parameter of its own unless <paramref name="groups"/> gathers tuples.
    /// </summary>
    public Function Build(string name, IEnumerable<string> parameters, Block body, IEnumerable<string> results,
        string? layout = null, IEnumerable<ParameterGroup>? groups = null)
    {
        var resultList = results.ToEquatableArray();
        var parameterList = parameters.ToEquatableArray();
        return new(name, parameterList, _variables.ToEquatableArray(), body, resultList,
            Nodes.Snapshot(), layout ?? ResultLayout.Flat(resultList.Count), _rules.ToEquatableArray(),
            (groups ?? parameterList.Select(p => new ParameterGroup(p, ResultLayout.Single))).ToEquatableArray());
    }
}
