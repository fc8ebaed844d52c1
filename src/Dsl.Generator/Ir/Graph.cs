using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;

namespace Dsl.Generator.Ir;

/// <summary>What a graph output is for.</summary>
internal enum OutputRole
{
    /// <summary>The value the [Forward] method returns.</summary>
    Output,

    /// <summary>The per-example loss a [TrainingStep] returns; the program averages it over the batch.</summary>
    Loss,

    /// <summary>A value passed to <c>Log(name, value)</c>; averaged over the batch.</summary>
    Metric,

    /// <summary>The gradient of the batch loss with respect to a parameter, named after it.</summary>
    Gradient,

    /// <summary>The directional derivative (JVP) of an output along the inputs' tangents, named after the output.</summary>
    Tangent,

    /// <summary>
    /// The new value of a buffer (BatchNorm's running statistics), named after it: a training step
    /// writes it into the buffer's place in the parameter store after computing it.
    /// </summary>
    BufferUpdate,
}

/// <summary>A named result of a graph.</summary>
internal sealed record GraphOutput(string Name, OutputRole Role, int Node);

/// <summary>
/// An SSA graph: nodes in topological order (every input id is smaller than its user's), and the
/// outputs the program must produce. Immutable; passes return new graphs.
/// </summary>
internal sealed record Graph(EquatableArray<Node> Nodes, EquatableArray<GraphOutput> Outputs)
{
    // The structural hash, computed on first use (0: not yet). A graph is hashed wherever it sits
    // inside a dictionary key (a CompiledEntry, an EntryPlan), and hashing it walks every node, so
    // without the cache each lookup cost time linear in the graph and emitting became quadratic
    // in the number of layers.
    private int _hash;

    /// <summary>A copy for <c>with</c>: its members may differ, so the cached hash is not copied.</summary>
    private Graph(Graph original)
    {
        Nodes = original.Nodes;
        Outputs = original.Outputs;
    }

    public Node this[int id] => Nodes[id];

    public IEnumerable<GraphOutput> OutputsOf(OutputRole role) => Outputs.Where(o => o.Role == role);

    /// <summary>The input leaves in the order they were declared.</summary>
    public IEnumerable<Node> Inputs => Nodes.Where(n => n.Op is OpKind.Input or OpKind.LabelInput);

    /// <summary>How many nodes use each node (outputs count as a use).</summary>
    public int[] UseCounts()
    {
        var uses = new int[Nodes.Count];
        foreach (Node node in Nodes)
            foreach (int input in node.Inputs)
                uses[input]++;
        foreach (GraphOutput output in Outputs)
            uses[output.Node]++;
        return uses;
    }

    public bool Equals(Graph? other) =>
        ReferenceEquals(this, other)
        || (other is not null && (_hash == 0 || other._hash == 0 || _hash == other._hash) && Nodes.Equals(other.Nodes) && Outputs.Equals(other.Outputs));

    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            unchecked
            {
                int hash = Nodes.GetHashCode() * -1521134295 + Outputs.GetHashCode();
                _hash = hash == 0 ? 1 : hash;
            }
        }
        return _hash;
    }

    public override string ToString() => IrPrinter.Format(this);
}
