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

    public FunctionBuilder(Function? start = null)
    {
        Nodes = new GraphBuilder(start?.Nodes);
        if (start is not null)
            foreach (Variable v in start.Variables)
                Add(v);
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

    /// <summary>The node that reads <paramref name="name"/>.</summary>
    public int Read(string name) => Nodes.Variable(name, this[name].Type);

    public Function Build(string name, IEnumerable<string> parameters, Block body, IEnumerable<string> results, IEnumerable<string>? resultNames = null) =>
        new(name, parameters.ToEquatableArray(), _variables.ToEquatableArray(), body, results.ToEquatableArray(),
            Nodes.Snapshot(), (resultNames ?? Enumerable.Empty<string>()).ToEquatableArray());
}
