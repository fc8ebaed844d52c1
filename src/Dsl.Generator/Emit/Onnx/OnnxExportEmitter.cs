using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Ops;
using Dsl.Generator.Pipeline;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Emit.Onnx;

/// <summary>
/// Writes <c>{Model}.Onnx.g.cs</c>: the model's <c>ExportOnnx(path)</c> and <c>ExportOnnx(stream)</c>, and its [Forward] graph as a
/// list of ONNX nodes (opset 17), built at compile time from the typed graph by each op's ONNX rule
/// in the op table. The runtime's <c>Dsl.Onnx.OnnxExporter</c> adds the parameters and writes the file.
/// A forward pass that uses an op with no ONNX rule gets an <c>ExportOnnx</c> that throws
/// <c>NotSupportedException</c> naming the op and its line, before any file is touched: the model
/// still compiles, since most models are never exported, and only the export fails.
/// </summary>
internal static class OnnxExportEmitter
{
    private const string Namespace = "global::Dsl.Onnx.";

    public static GeneratedSource Emit(CompiledModel model)
    {
        var w = new SourceWriter();
        FileHeader.Write(w, "The [Forward] graph of " + model.Spec.Name + " as ONNX nodes, and ExportOnnx.");
        int blocks = FileHeader.OpenModel(w, model.Spec);
        OnnxExport export;
        try
        {
            export = Build(model);
        }
        catch (System.Exception e)
        {
            // An op rule that cannot handle a graph must not cost the model its training program:
            // only the export fails, saying why.
            export = new OnnxExport(null, new (string, Node)[0], new[] { "an op the ONNX rules could not translate (" + e.GetType().Name + ": " + e.Message + ")" });
        }

        if (export.Unsupported.Count > 0)
            WriteUnsupported(w, model, export.Unsupported);
        else
            WriteExport(w, model, export.Builder!.Steps, model.Lowered.Forward.ExportGraph, export.Outputs, export.Layers);

        FileHeader.Close(w, blocks);
        return new GeneratedSource(FileHeader.HintName(model.Spec, "Onnx"), w.ToString());
    }

    /// <summary>
    /// The forward graph's ONNX nodes and its outputs (each graph output's ONNX name and IR node), or
    /// the ops it uses that have no ONNX rule (then the nodes are incomplete).
    /// </summary>
    private sealed record OnnxExport(OnnxGraphBuilder? Builder, IReadOnlyList<(string Name, Node Node)> Outputs, IReadOnlyList<string> Unsupported)
    {
        /// <summary>The layer calls exported as one operator each, by output node.</summary>
        public IReadOnlyDictionary<int, LayerCall> Layers { get; init; } = new Dictionary<int, LayerCall>();
    }

    private static OnnxExport Build(CompiledModel model)
    {
        LoweredEntry forward = model.Lowered.Forward;
        Graph graph = forward.ExportGraph;
        // One output, or one per element of the tuple [Forward] returns, named as Predict names its spans.
        List<GraphOutput> outputs = graph.OutputsOf(OutputRole.Output).ToList();
        var onnx = new OnnxGraphBuilder(graph);
        var unsupported = new List<string>();
        var taken = new HashSet<string>(forward.Inputs.Select(i => i.Name).Concat(model.Parameters.Slots.Select(s => s.Name)));
        List<string> names = outputs.Select(o => OutputName(o.Name, taken)).ToList();
        Dictionary<int, LayerCall> layers = LayerOperators(forward);
        List<Node> order = CanonicalOrder(graph, outputs.Select(o => o.Node), layers);
        for (int position = 0; position < order.Count; position++)
        {
            Node node = order[position];
            onnx.Begin(node.Id, position);
            string? value = node.Op switch
            {
                OpKind.Input or OpKind.LabelInput or OpKind.Parameter => node.Name!,
                _ when layers.TryGetValue(node.Id, out LayerCall? call) => call.Kind.Onnx!(onnx, call),
                OpKind.Constant when node.Type == DType.F32 => onnx.Scalar(node.Constant),
                _ when OpTable.Of(node.Op).Onnx is { } rule => rule(onnx, node),
                _ => null,
            };
            if (value is null)
            {
                unsupported.Add(OpTable.Of(node.Op).Display + (node.Source is { } source ? " (" + source.Describe() + ")" : ""));
                // Its users are still translated, to name every op without a rule; the nodes are not emitted.
                onnx.SetValue(node.Id, "unsupported");
                continue;
            }
            for (int i = 0; i < outputs.Count; i++)
                if (outputs[i].Node == node.Id)
                    value = NameOutput(onnx, node, value, names[i], graph);
            if (onnx.TryRenameLast(value, onnx.CurrentName))
                value = onnx.CurrentName;
            onnx.SetValue(node.Id, value);
        }
        return new OnnxExport(onnx, names.Select((name, i) => (name, graph[outputs[i].Node])).ToList(), unsupported.Distinct().ToList()) { Layers = layers };
    }

    /// <summary>
    /// The layer calls exported as their layer's own operator, by output node, in the order they
    /// were lowered: those on a batched input (an operator's input has the batch axis in front). The
    /// export reads such an output as the operator of its input, so the ops between are skipped; a
    /// call is taken only if its output is not reachable from its input that way, since a folding
    /// may make the output an older node (a Flatten of global pooling's [C, 1, 1] is the [C] it
    /// reshaped), which would otherwise read itself. Two calls with one output (the same layer on
    /// the same input, hash-consed) are one operator.
    /// </summary>
    private static Dictionary<int, LayerCall> LayerOperators(LoweredEntry forward)
    {
        Graph graph = forward.ExportGraph;
        var layers = new Dictionary<int, LayerCall>();
        foreach (LayerCall call in forward.LayerCalls)
            if (call.Kind.Onnx is not null && graph[call.Input].Batched && !layers.ContainsKey(call.Output)
                && !Reaches(graph, layers, call.Input, call.Output))
                layers.Add(call.Output, call);
        return layers;
    }

    /// <summary>Whether <paramref name="from"/> reads <paramref name="target"/>, directly or not, with the layer operators read as their inputs.</summary>
    private static bool Reaches(Graph graph, Dictionary<int, LayerCall> layers, int from, int target)
    {
        var seen = new HashSet<int>();
        var pending = new Stack<int>();
        pending.Push(from);
        while (pending.Count > 0)
        {
            int id = pending.Pop();
            if (id == target)
                return true;
            if (!seen.Add(id))
                continue;
            foreach (int input in InputsOf(graph, layers, id))
                pending.Push(input);
        }
        return false;
    }

    /// <summary>A node's inputs as the export reads them: a layer operator's is the layer's input.</summary>
    private static EquatableArray<int> InputsOf(Graph graph, Dictionary<int, LayerCall> layers, int id) =>
        layers.TryGetValue(id, out LayerCall? call) ? EquatableArray.Of(call.Input) : graph[id].Inputs;

    /// <summary>
    /// The graph's inputs and the nodes the outputs depend on, inputs before users, in an order that
    /// depends only on the graph's structure: the inputs as declared, then depth first from each
    /// output in turn, each node's inputs in operand order, a node placed once all of its inputs
    /// are. Two spellings of one model, whose IR numbers its nodes (and creates its folded
    /// constants) in different orders, so export the same ONNX nodes in the same order under the
    /// same names (<see cref="OnnxGraphBuilder.Begin"/>). The output of a layer exported as one
    /// operator (<paramref name="layers"/>) depends on the layer's input only: the nodes it lowered to
    /// are left out, unless something else uses them.
    /// </summary>
    private static List<Node> CanonicalOrder(Graph graph, IEnumerable<int> outputs, Dictionary<int, LayerCall> layers)
    {
        var placed = new bool[graph.Nodes.Count];
        var order = new List<Node>();
        // The inputs first, as declared: an unbatched output is repeated over the batch read from the first.
        foreach (Node input in graph.Inputs)
        {
            placed[input.Id] = true;
            order.Add(input);
        }
        var pending = new Stack<(int Node, int NextInput)>();
        foreach (int output in outputs)
        {
            pending.Push((output, 0));
            while (pending.Count > 0)
            {
                var (id, next) = pending.Pop();
                if (placed[id]) continue;
                EquatableArray<int> inputs = InputsOf(graph, layers, id);
                while (next < inputs.Count && placed[inputs[next]]) next++;
                if (next < inputs.Count)
                {
                    pending.Push((id, next + 1));
                    pending.Push((inputs[next], 0));
                }
                else
                {
                    placed[id] = true;
                    order.Add(graph[id]);
                }
            }
        }
        return order;
    }

    /// <summary>
    /// An output's ONNX name: the tuple element's ("output" for a single result), unless an input,
    /// a parameter or another output has it already, or it reads like a name the builder gives its
    /// own values (<c>v12</c>, <c>v12_0</c>, <c>c3</c>); then underscores are added until it is free.
    /// </summary>
    private static string OutputName(string name, HashSet<string> taken)
    {
        while (taken.Contains(name) || IsBuilderName(name))
            name += "_";
        taken.Add(name);
        return name;
    }

    private static bool IsBuilderName(string name) =>
        name.Length > 1 && (name[0] == 'v' || name[0] == 'c') && char.IsDigit(name[1]) && name.Skip(1).All(c => char.IsDigit(c) || c == '_');

    /// <summary>
    /// Gives <paramref name="node"/>'s value the graph output's name and returns the value its users
    /// read: its last ONNX node is renamed when it is this IR node's (its users then read the output),
    /// or else an Identity names it (a value some other node made: an input, a parameter, dropout's
    /// input, or a node that is several outputs). An unbatched result is repeated over the batch, as
    /// Predict writes it once per example; its users still read the unbatched value.
    /// </summary>
    private static string NameOutput(OnnxGraphBuilder onnx, Node node, string value, string name, Graph graph)
    {
        if (!node.Batched && graph.Inputs.FirstOrDefault() is { } first)
        {
            if (!onnx.TryRenameLast(onnx.ExpandToBatch(value, node, onnx.Value(first.Id)), name))
                onnx.TryRenameLast(onnx.Op("Identity", value), name);
            return value;
        }
        if (onnx.TryRenameLast(value, name))
            return name;
        onnx.TryRenameLast(onnx.Op("Identity", value), name);
        return value;
    }

    private static void WriteExport(SourceWriter w, CompiledModel model, IReadOnlyList<OnnxStep> steps, Graph graph, IReadOnlyList<(string Name, Node Node)> outputs,
        IReadOnlyDictionary<int, LayerCall> layers)
    {
        LoweredEntry forward = model.Lowered.Forward;
        string inputs = string.Join(", ", forward.Inputs.Select(i => i.Name + " " + BatchShape(i.Shape)));
        string results = string.Join(", ", outputs.Select(o => o.Name + " " + BatchShape(o.Node.Shape)));
        w.Line("/// <summary>");
        w.Line("/// Writes [Forward] " + forward.MethodName + " as an ONNX model (opset 17) to <paramref name=\"path\"/>: inputs " + inputs + ", output" + (outputs.Count > 1 ? "s" : ""));
        w.Line("/// " + results + " (batch is a dynamic axis), the parameters as initializers under their state_dict names");
        w.Line("/// with their current values, and dropout as in evaluation (the identity). The file is replaced atomically.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"path\">The .onnx file to create or replace; missing directories are created.</param>");
        w.Line("/// <exception cref=\"global::System.IO.IOException\">The file cannot be written there (the message names the path); nothing is left there.</exception>");
        w.Line("public void ExportOnnx(string path) => " + Namespace + "OnnxExporter.Export(path, OnnxForwardGraph(), Parameters);");
        w.Line();
        w.Line("/// <summary>Writes the same ONNX model as <see cref=\"ExportOnnx(string)\"/> to <paramref name=\"stream\"/>, which is left open.</summary>");
        w.Line("/// <param name=\"stream\">A writable stream.</param>");
        w.Line("public void ExportOnnx(global::System.IO.Stream stream) => " + Namespace + "OnnxExporter.Export(stream, OnnxForwardGraph(), Parameters);");
        w.Line();
        if (layers.Count == 0)
        {
            w.Line("// [Forward] " + forward.MethodName + " as ONNX nodes: each group computes the IR node in its comment, by that op's ONNX rule in the op table.");
        }
        else
        {
            w.Line("// [Forward] " + forward.MethodName + " as ONNX nodes: each group computes the IR node in its comment, by that op's ONNX rule in the op table,");
            w.Line("// or by its layer's operator where the comment names a layer (the ops that layer lowered to are not exported).");
        }
        w.Line("private static " + Namespace + "OnnxGraph OnnxForwardGraph() => new(");
        w.Indent();
        w.Line(Literals.String(model.Spec.Name) + ",");
        w.Line("new " + Namespace + "OnnxValue[]");
        w.Line("{");
        w.Indent();
        foreach (EntryInput input in forward.Inputs)
            w.Line("new(" + Literals.String(input.Name) + ", " + ElementType(input.Kind == ValueKind.Tensor) + ", " + Dimensions(input.Shape) + "),");
        w.Unindent();
        w.Line("},");
        w.Line("new " + Namespace + "OnnxValue[]");
        w.Line("{");
        w.Indent();
        foreach ((string name, Node node) in outputs)
            w.Line("new(" + Literals.String(name) + ", " + ElementType(true) + ", " + Dimensions(node.Shape) + "),");
        w.Unindent();
        w.Line("},");
        w.Line("new " + Namespace + "OnnxNode[]");
        w.Line("{");
        w.Indent();
        int group = -1;
        foreach (OnnxStep step in steps)
        {
            if (step.Origin != group)
            {
                group = step.Origin;
                w.Line("// " + (layers.TryGetValue(group, out LayerCall? call) ? "[" + call.Kind.Name + "] " + call.Prefix.TrimEnd('.') + " as one operator: " : "")
                    + StepComments.Describe(graph[group]));
            }
            w.Line(Render(step) + ",");
        }
        w.Unindent();
        w.Line("});");
        w.Unindent();
    }

    private static void WriteUnsupported(SourceWriter w, CompiledModel model, IReadOnlyList<string> ops)
    {
        string method = model.Lowered.Forward.MethodName;
        string message = model.Spec.Name + "." + method + " cannot be exported to ONNX: it uses " + string.Join(", ", ops)
            + ", which " + (ops.Count == 1 ? "has" : "have") + " no ONNX mapping in the op table (docs/onnx.md lists the ops that have one).";
        w.Line("/// <summary>Would write [Forward] " + method + " as an ONNX model, but it uses an op with no ONNX mapping: " + Xml(string.Join(", ", ops)) + ".</summary>");
        w.Line("/// <param name=\"path\">The .onnx file; nothing is written to it.</param>");
        w.Line("/// <exception cref=\"global::System.NotSupportedException\">Always, naming the op and its line.</exception>");
        w.Line("public void ExportOnnx(string path) => throw new global::System.NotSupportedException(" + Literals.String(message) + ");");
        w.Line();
        w.Line("/// <summary>Would write [Forward] " + method + " as an ONNX model to <paramref name=\"stream\"/>; see <see cref=\"ExportOnnx(string)\"/>.</summary>");
        w.Line("/// <param name=\"stream\">The stream; nothing is written to it.</param>");
        w.Line("/// <exception cref=\"global::System.NotSupportedException\">Always, naming the op and its line.</exception>");
        w.Line("public void ExportOnnx(global::System.IO.Stream stream) => throw new global::System.NotSupportedException(" + Literals.String(message) + ");");
    }

    private static string Render(OnnxStep step)
    {
        if (step.Scalar is double scalar)
            return Namespace + "OnnxNode.Scalar(" + Literals.String(step.Output) + ", " + Literals.Float(scalar) + ")";
        if (step.Int64s is long[] values)
            return Namespace + "OnnxNode.Int64s(" + Literals.String(step.Output) + (values.Length == 0 ? "" : ", " + Longs(values)) + ")";
        string inputs = "new[] { " + string.Join(", ", step.Inputs.Select(Literals.String)) + " }";
        string attributes = string.Concat(step.Attributes.Select(a => ", " + Render(a)));
        return "new(" + Literals.String(step.OpType) + ", " + inputs + ", " + Literals.String(step.Output) + attributes + ")";
    }

    private static string Render(OnnxAttr attribute)
    {
        string name = Literals.String(attribute.Name);
        return attribute.Kind switch
        {
            OnnxAttrKind.Int => Namespace + "OnnxAttribute.Int(" + name + ", " + Longs(attribute.Ints) + ")",
            OnnxAttrKind.Ints => Namespace + "OnnxAttribute.Ints(" + name + ", " + Longs(attribute.Ints) + ")",
            OnnxAttrKind.Float => Namespace + "OnnxAttribute.Float(" + name + ", " + Literals.Float(attribute.Float) + ")",
            _ => Namespace + "OnnxAttribute.Tensor(" + name + ", " + Namespace + "OnnxTensor.Floats(new long[] { 1 }, " + Literals.Float(attribute.Float) + "))",
        };
    }

    private static string Longs(IEnumerable<long> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private static string ElementType(bool isFloat) => Namespace + "OnnxElementType." + (isFloat ? "Float" : "Int32");

    private static string Dimensions(Shape shape) =>
        shape.IsScalar ? "global::System.Array.Empty<int>()" : "new[] { " + string.Join(", ", shape.Dimensions.Select(Literals.Int)) + " }";

    private static string BatchShape(Shape shape) => "[" + string.Join(", ", new[] { "batch" }.Concat(shape.Dimensions.Select(Literals.Int))) + "]";

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
