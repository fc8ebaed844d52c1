using System;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Emit.Onnx;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Parsing;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Layers;

/// <summary><c>[Flatten]</c>: nn.Flatten(), each example's tensor as one vector; no parameters.</summary>
internal sealed record FlattenLayer : LayerKind
{
    public override string Name => "Flatten";

    public override bool HasParameters => false;

    public static LayerKind? Parse(LayerAttributeReader a) => new FlattenLayer();

    /// <summary>A reshape to [size]: the same floats in the same order.</summary>
    public override Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input)
    {
        GraphBuilder g = lowering.Graph;
        int x = lowering.TensorOf(input, call.Arguments[0], layer.MethodName, 1);
        lowering.MarkCalled(layer);
        return new TensorValue(g.Reshape(x, Shape.Of(g[x].Shape.Size)));
    }

    /// <summary>ONNX's Flatten after the batch axis.</summary>
    public override OnnxLayerRule? Onnx => OnnxLayerRules.Flatten;

    /// <summary>Never asked: a layer without parameters is not resolved (the summary lists layers with parameters).</summary>
    public override Shape OutputShape(ResolvedLayer layer) => layer.Input;

    public override void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        OpenEagerBody(w, layer, $"// [Flatten] {layer.MethodName}: every element of an example as one vector, run eagerly on the reference Tensor.");
        w.Line($"{TypeNames.EagerLayers}.Flatten({layer.InputName});");
        w.Unindent();
    }
}
