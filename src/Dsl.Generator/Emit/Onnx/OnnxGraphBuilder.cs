using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Emit.Onnx;

/// <summary>
/// Builds a forward graph's ONNX nodes, one IR node at a time: each op's rule in the op table
/// (<c>OpDefinition.Onnx</c>) asks for its inputs' values, adds nodes through <see cref="Op"/> and
/// returns the name of its result. ONNX values carry the batch as their first axis where the IR
/// node is batched, so the helpers here translate per-example axes (<see cref="Axis"/>) and line
/// operands up for ONNX's numpy broadcasting (<see cref="Aligned"/>).
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly Graph _graph;
    private readonly Dictionary<int, string> _values = new();
    private readonly Dictionary<string, string> _constants = new();
    private readonly List<OnnxStep> _steps = new();
    private int _current = -1;
    private string _name = "";
    private int _intermediates;

    public OnnxGraphBuilder(Graph graph) => _graph = graph;

    /// <summary>The nodes so far, in order.</summary>
    public IReadOnlyList<OnnxStep> Steps => _steps;

    /// <summary>The IR node with id <paramref name="id"/>.</summary>
    public Node this[int id] => _graph[id];

    /// <summary>The ONNX value of IR node <paramref name="id"/>, already built.</summary>
    public string Value(int id) => _values[id];

    /// <summary>Records the ONNX value of an IR node (a leaf's name, or what its rule returned).</summary>
    public void SetValue(int id, string name) => _values[id] = name;

    /// <summary>
    /// Starts the nodes of IR node <paramref name="id"/>, the graph's <paramref name="position"/>-th
    /// in the export's order: its value is named <c>v{position}</c> and its intermediate values
    /// <c>v{position}_0</c>, <c>v{position}_1</c>…, names that do not depend on the IR's numbering.
    /// </summary>
    public void Begin(int id, int position)
    {
        _current = id;
        _name = "v" + Literals.Int(position);
        _intermediates = 0;
    }

    /// <summary>The name of the current IR node's value, <c>v{position}</c>.</summary>
    public string CurrentName => _name;

    /// <summary>Adds a node of <paramref name="opType"/> and returns the name of its output.</summary>
    public string Op(string opType, IEnumerable<string> inputs, params OnnxAttr[] attributes)
    {
        string output = _name + "_" + Literals.Int(_intermediates++);
        _steps.Add(new OnnxStep(opType, inputs.ToList(), output, attributes) { Origin = _current });
        return output;
    }

    /// <summary>Adds a node of <paramref name="opType"/> reading <paramref name="inputs"/>.</summary>
    public string Op(string opType, string input, params OnnxAttr[] attributes) => Op(opType, new[] { input }, attributes);

    /// <summary>
    /// Renames the output of the last node to <paramref name="name"/> when <paramref name="value"/>
    /// is that output (so a node's result reads <c>v12</c>, or the graph output its own name);
    /// returns whether it could.
    /// </summary>
    public bool TryRenameLast(string value, string name)
    {
        // Only a value this IR node made: an earlier node's result (Dropout passes its input on) is read elsewhere.
        if (_steps.Count == 0 || _steps[_steps.Count - 1].Output != value || !value.StartsWith(_name + "_", System.StringComparison.Ordinal))
            return false;
        _steps[_steps.Count - 1] = _steps[_steps.Count - 1] with { Output = name };
        return true;
    }

    /// <summary>A float scalar constant, one node per distinct value.</summary>
    public string Scalar(double value)
    {
        float f = (float)value;
        string key = "f:" + Literals.Float(f);
        if (!_constants.TryGetValue(key, out string? name))
        {
            name = "c" + Literals.Int(_constants.Count);
            _constants.Add(key, name);
            _steps.Add(new OnnxStep("Constant", new string[0], name, new OnnxAttr[0]) { Scalar = f, Origin = _current });
        }
        return name;
    }

    /// <summary>An int64 vector constant (a shape, axes, starts), one node per distinct value.</summary>
    public string Int64s(params long[] values)
    {
        string key = "i:" + string.Join(",", values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (!_constants.TryGetValue(key, out string? name))
        {
            name = "c" + Literals.Int(_constants.Count);
            _constants.Add(key, name);
            _steps.Add(new OnnxStep("Constant", new string[0], name, new OnnxAttr[0]) { Int64s = values, Origin = _current });
        }
        return name;
    }

    /// <summary>1 if <paramref name="node"/>'s ONNX value has the batch axis in front, else 0.</summary>
    public static int BatchAxes(Node node) => node.Batched ? 1 : 0;

    /// <summary>The ONNX axis of per-example axis <paramref name="axis"/> of <paramref name="node"/>.</summary>
    public static long Axis(Node node, int axis) => axis + BatchAxes(node);

    /// <summary>The rank of <paramref name="node"/>'s ONNX value.</summary>
    public static int Rank(Node node) => node.Shape.Rank + BatchAxes(node);

    /// <summary>A Reshape target of <paramref name="shape"/> per example, with 0 (ONNX's "keep this axis") for the batch.</summary>
    public string ShapeOf(Shape shape, bool batched) =>
        Int64s((batched ? new long[] { 0 } : new long[0]).Concat(shape.Dimensions.Select(d => (long)d)).ToArray());

    /// <summary>
    /// Input <paramref name="index"/> of <paramref name="node"/>, lined up for numpy broadcasting
    /// against the node's shape: a batched operand of lower rank (a per-example scalar, [B]) gets
    /// trailing axes of 1, so its batch axis meets the batch axis rather than the last one. An
    /// unbatched operand already lines up from the right.
    /// </summary>
    public string Aligned(Node node, int index)
    {
        Node input = _graph[node.Inputs[index]];
        string value = Value(input.Id);
        if (!input.Batched || input.Shape.Rank == node.Shape.Rank)
            return value;
        var shape = new List<long> { 0 };
        shape.AddRange(input.Shape.Dimensions.Select(d => (long)d));
        shape.AddRange(Enumerable.Repeat(1L, node.Shape.Rank - input.Shape.Rank));
        return Op("Reshape", new[] { value, Int64s(shape.ToArray()) });
    }

    /// <summary>
    /// <paramref name="value"/> (of unbatched <paramref name="node"/>) repeated over the batch of
    /// <paramref name="batchedLike"/>'s value: [B, ...] with B read from that value at run time.
    /// </summary>
    public string ExpandToBatch(string value, Node node, string batchedLike)
    {
        string batch = Op("Shape", batchedLike, OnnxAttr.Int("start", 0), OnnxAttr.Int("end", 1));
        string shape = Op("Concat", new[] { batch, Int64s(node.Shape.Dimensions.Select(d => (long)d).ToArray()) }, OnnxAttr.Int("axis", 0));
        return Op("Expand", new[] { value, shape });
    }

    /// <summary>The batch size, int64 [1]: the leading axis of the first input's value, read at run time.</summary>
    public string BatchSize() =>
        Op("Shape", Value(_graph.Inputs.First().Id), OnnxAttr.Int("start", 0), OnnxAttr.Int("end", 1));

    /// <summary>The lower triangle of ones, [n, n] (1 where column ≤ row), as the causal mask has it.</summary>
    public string CausalOnes(int n)
    {
        string ones = Op("ConstantOfShape", Int64s(n, n), OnnxAttr.Fill(1));
        return Op("Trilu", ones, OnnxAttr.Int("upper", 0));
    }

    /// <summary>The permutation that swaps the last two axes of a value of <paramref name="rank"/>.</summary>
    public static long[] SwapLastTwo(int rank)
    {
        long[] perm = Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        (perm[rank - 2], perm[rank - 1]) = (perm[rank - 1], perm[rank - 2]);
        return perm;
    }
}
