using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Layers;
using Dsl.Generator.Ir;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Lowering;

/// <summary>An input of a compiled entry point, in the order of the user's parameters.</summary>
internal sealed record EntryInput(string Name, ValueKind Kind, Shape Shape);

/// <summary>A lowered entry point: its inputs and its graph (before differentiation).</summary>
internal sealed record LoweredEntry(string MethodName, EquatableArray<EntryInput> Inputs, Graph Graph, LocationInfo? Location)
{
    /// <summary>Where the entry's <c>return</c> is, for messages about the value it returns (a training step's loss).</summary>
    public LocationInfo? ReturnLocation { get; init; }

    /// <summary>
    /// The calls of a [Forward] entry's layers that export to ONNX as operators of their own
    /// (<see cref="LayerKind.Onnx"/>), by <see cref="ExportGraph"/>'s node ids: the ONNX export writes
    /// one such operator for the call's output rather than the ops the layer lowered to.
    /// </summary>
    public EquatableArray<LayerCall> LayerCalls { get; init; } = EquatableArray<LayerCall>.Empty;

    /// <summary>
    /// The graph the ONNX export translates: <see cref="Graph"/> with each of <see cref="LayerCalls"/>'
    /// inputs and outputs kept, though a folding may have left them unused (a Flatten's reshape of a
    /// convolution's reshape reads the product directly); <see cref="Graph"/> itself when there are no calls.
    /// </summary>
    public Graph ExportGraph
    {
        get => _exportGraph ?? Graph;
        init => _exportGraph = value;
    }

    private readonly Graph? _exportGraph;
}

/// <summary>
/// One call of a layer in an entry's graph: the layer's kind (its geometry, its options), its
/// parameters' prefix in the state_dict (<c>features.0.</c> for <c>features.0.weight</c>), and the
/// nodes of its input and of its output.
/// </summary>
internal sealed record LayerCall(LayerKind Kind, string Prefix, int Input, int Output);

/// <summary>
/// A layer whose input is now known (the shape of one example at its first call), with the
/// parameters it owns. <see cref="InFeatures"/> is the last axis of its input: a Dense layer's in,
/// a LayerNorm's d, an Embedding's row count.
/// </summary>
internal sealed record ResolvedLayer(LayerSpec Layer, Shape Input)
{
    /// <summary>The last axis of the input.</summary>
    public int InFeatures => Input.Last;

    /// <summary>Whether the layer belongs to a module the model holds (its eager body is the module's), not to the model.</summary>
    public bool IsNested { get; init; }

    /// <summary>The input of one example, as the summary and comments show it: "[in]", "[d]", or "ids" for an embedding.</summary>
    public string InputText => Layer.Kind.InputText(this);

    /// <summary>The output of one example (one position of a sequence).</summary>
    public Shape OutputShape => Layer.Kind.OutputShape(this);

    /// <summary>The parameters the layer owns, in state_dict order.</summary>
    public IEnumerable<LayerParameter> Parameters => Layer.Kind.Parameters(this);

    /// <summary>The trainable floats (buffers excluded, as PyTorch counts parameters).</summary>
    public int ParameterCount => Parameters.Where(p => p.IsTrainable).Sum(p => p.Shape.Size);
}

/// <summary>Everything lowering learned: the entry graphs and the layers in declaration order.</summary>
internal sealed record LoweredModel(
    ModelSpec Spec,
    LoweredEntry Forward,
    LoweredEntry? Train,
    LoweredEntry? Validation,
    EquatableArray<ResolvedLayer> Layers);
