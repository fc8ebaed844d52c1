using System;
using System.Collections.Generic;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Parsing;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Layers;

/// <summary><c>[Dense(out, Bias)]</c>: nn.Linear, <c>W·x + b</c> with W of shape [out, in] (in inferred from the first call).</summary>
internal sealed record DenseLayer(int OutFeatures, bool Bias) : LayerKind
{
    public override string Name => "Dense";

    public static LayerKind? Parse(LayerAttributeReader a) =>
        a.TryPositive(0, out int outFeatures) ? new DenseLayer(outFeatures, a.NamedBool("Bias", true)) : null;

    /// <summary>
    /// On a sequence [..., in] it acts on the last axis (one GEMM over every row of the batch), the
    /// bias tiled over the rows.
    /// </summary>
    public override Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input)
    {
        GraphBuilder g = lowering.Graph;
        int x = lowering.TensorOf(input, call.Arguments[0], layer.MethodName, 1);
        Shape shape = g[x].Shape;
        if (shape.IsScalar)
            return lowering.Report(DiagnosticDescriptors.BadRank, call.Arguments[0].Location, "Dense layer '" + layer.MethodName + "'", "a vector [in] or a sequence [..., in]", shape);
        if (!lowering.BindLayerInput(layer, shape, call.Location))
            return ErrorValue.Instance;

        int weight = g.Parameter(layer.ParameterName + ".weight", Shape.Of(OutFeatures, shape.Last));
        int y = g.Linear(weight, x);
        if (Bias)
            y = g.Add(y, g.Tile(g.Parameter(layer.ParameterName + ".bias", Shape.Of(OutFeatures)), shape.Leading));
        return new TensorValue(y);
    }

    /// <summary>nn.Linear's: U(±1/√in) for both.</summary>
    public override IEnumerable<LayerParameter> Parameters(ResolvedLayer layer)
    {
        yield return new LayerParameter("weight", Shape.Of(OutFeatures, layer.InFeatures), layer.InFeatures);
        if (Bias)
            yield return new LayerParameter("bias", Shape.Of(OutFeatures), layer.InFeatures);
    }

    public override Shape OutputShape(ResolvedLayer layer) => Shape.Of(OutFeatures);

    public override void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        string shapes = resolved is null ? "[..., in] -> [..., " + OutFeatures + "]" : resolved.InputText + " -> " + resolved.OutputShape;
        OpenEagerBody(w, layer, $"// [Dense({OutFeatures})] {layer.MethodName}: {shapes}, run eagerly on the reference Tensor.");
        w.Line($"{TypeNames.EagerLayers}.Dense({layer.InputName}, {parameter("weight")}, {(Bias ? parameter("bias") : "null")});");
        w.Unindent();
    }
}
