using Dsl.Generator.Common;
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
}

/// <summary>
/// A layer whose input size is now known, with the parameters it owns. <see cref="InFeatures"/> is
/// the last axis of its input: a Dense layer's in, a LayerNorm's d, an Embedding's row count.
/// </summary>
internal sealed record ResolvedLayer(LayerSpec Layer, int InFeatures)
{
    /// <summary>Whether the layer belongs to a module the model holds (its eager body is the module's), not to the model.</summary>
    public bool IsNested { get; init; }

    /// <summary>The input of one row, as the summary and comments show it: "[in]", "[d]", or "ids" for an embedding.</summary>
    public string InputText => Layer.Kind == LayerKind.Embedding ? "ids" : Shape.Of(InFeatures).ToString();

    /// <summary>The output of one row (one position of a sequence).</summary>
    public Shape OutputShape => Layer.Kind switch
    {
        LayerKind.LayerNorm or LayerKind.MultiHeadAttention => Shape.Of(InFeatures),
        _ => Shape.Of(Layer.OutFeatures),
    };

    public string WeightName => Layer.ParameterName + ".weight";

    public string BiasName => Layer.ParameterName + ".bias";

    /// <summary>The shape of the weight: [out, in], [count, dimension] or [d].</summary>
    public Shape WeightShape => Layer.Kind switch
    {
        LayerKind.Embedding => Shape.Of(Layer.Count, Layer.OutFeatures),
        LayerKind.LayerNorm => Shape.Of(InFeatures),
        _ => Shape.Of(Layer.OutFeatures, InFeatures),
    };

    /// <summary>Whether the layer has a bias (an Embedding never does).</summary>
    public bool HasBias => Layer.Kind != LayerKind.Embedding && Layer.Bias;

    /// <summary>The shape of the bias: [out] or [d].</summary>
    public Shape BiasShape => Layer.Kind == LayerKind.LayerNorm ? Shape.Of(InFeatures) : Shape.Of(Layer.OutFeatures);

    public int ParameterCount => Layer.Kind == LayerKind.MultiHeadAttention
        ? 4 * InFeatures * InFeatures + 4 * InFeatures
        : WeightShape.Size + (HasBias ? BiasShape.Size : 0);
}

/// <summary>Everything lowering learned: the entry graphs and the layers in declaration order.</summary>
internal sealed record LoweredModel(
    ModelSpec Spec,
    LoweredEntry Forward,
    LoweredEntry? Train,
    LoweredEntry? Validation,
    EquatableArray<ResolvedLayer> Layers);
