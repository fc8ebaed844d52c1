using Dsl.Generator.Common;
using Dsl.Generator.Ir;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Lowering;

/// <summary>An input of a compiled entry point, in the order of the user's parameters.</summary>
internal sealed record EntryInput(string Name, ValueKind Kind, Shape Shape);

/// <summary>A lowered entry point: its inputs and its graph (before differentiation).</summary>
internal sealed record LoweredEntry(string MethodName, EquatableArray<EntryInput> Inputs, Graph Graph, LocationInfo? Location);

/// <summary>A layer whose input size is now known, with the parameters it owns.</summary>
internal sealed record ResolvedLayer(LayerSpec Layer, int InFeatures)
{
    public Shape InputShape => Shape.Of(InFeatures);

    public Shape OutputShape => Shape.Of(Layer.OutFeatures);

    public string WeightName => Layer.ParameterName + ".weight";

    public string BiasName => Layer.ParameterName + ".bias";

    public int ParameterCount => Layer.OutFeatures * InFeatures + (Layer.Bias ? Layer.OutFeatures : 0);
}

/// <summary>Everything lowering learned: the entry graphs and the layers in declaration order.</summary>
internal sealed record LoweredModel(
    ModelSpec Spec,
    LoweredEntry Forward,
    LoweredEntry? Train,
    LoweredEntry? Validation,
    EquatableArray<ResolvedLayer> Layers);
