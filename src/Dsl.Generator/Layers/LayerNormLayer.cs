using System;
using System.Collections.Generic;
using System.Globalization;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Parsing;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Layers;

/// <summary><c>[LayerNorm]</c>: nn.LayerNorm over the last axis, with a weight and a bias of its (inferred) size.</summary>
internal sealed record LayerNormLayer(bool Bias) : LayerKind
{
    public override string Name => "LayerNorm";

    public static LayerKind? Parse(LayerAttributeReader a) => new LayerNormLayer(a.NamedBool("Bias", true));

    /// <summary>See <see cref="OpLowering.LayerNorm"/>.</summary>
    public override Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input)
    {
        GraphBuilder g = lowering.Graph;
        int x = lowering.TensorOf(input, call.Arguments[0], layer.MethodName, 1);
        Shape shape = g[x].Shape;
        if (shape.IsScalar)
            return lowering.Report(DiagnosticDescriptors.BadRank, call.Arguments[0].Location, "LayerNorm layer '" + layer.MethodName + "'", "a vector [d] or a sequence [..., d]", shape);
        if (!lowering.BindLayerInput(layer, shape, call.Location))
            return ErrorValue.Instance;

        int d = shape.Last;
        int weight = g.Parameter(layer.ParameterName + ".weight", Shape.Of(d));
        int bias = g.Parameter(layer.ParameterName + ".bias", Shape.Of(d));
        return new TensorValue(OpLowering.LayerNorm(g, x, weight, bias));
    }

    /// <summary>nn.LayerNorm's: ones and zeros.</summary>
    public override IEnumerable<LayerParameter> Parameters(ResolvedLayer layer)
    {
        yield return new LayerParameter("weight", Shape.Of(layer.InFeatures), 1, "Ones");
        if (Bias)
            yield return new LayerParameter("bias", Shape.Of(layer.InFeatures), 1, "Zeros");
    }

    public override Shape OutputShape(ResolvedLayer layer) => Shape.Of(layer.InFeatures);

    public override void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        string d = resolved is null ? "d" : resolved.InFeatures.ToString(CultureInfo.InvariantCulture);
        OpenEagerBody(w, layer, $"// [LayerNorm] {layer.MethodName}: [..., {d}] -> [..., {d}], run eagerly on the reference Tensor.");
        w.Line($"{TypeNames.EagerLayers}.LayerNorm({layer.InputName}, {parameter("weight")}, {(Bias ? parameter("bias") : "null")});");
        w.Unindent();
    }
}
