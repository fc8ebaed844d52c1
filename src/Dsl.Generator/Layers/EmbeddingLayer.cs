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

/// <summary><c>[Embedding(count, dimension)]</c>: nn.Embedding, a table of <paramref name="Count"/> rows of <paramref name="Dimension"/> values, over Tokens.</summary>
internal sealed record EmbeddingLayer(int Count, int Dimension) : LayerKind
{
    public override string Name => "Embedding";

    public override bool TakesTokens => true;

    public static LayerKind? Parse(LayerAttributeReader a) =>
        a.TryPositive(0, out int count) && a.TryPositive(1, out int dimension) ? new EmbeddingLayer(count, dimension) : null;

    /// <summary>
    /// The rows of its table [count, dimension] that the ids name. Indexed by <c>Arange(count)</c>
    /// it is the whole table, the same for every example (a positional embedding).
    /// </summary>
    public override Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input)
    {
        GraphBuilder g = lowering.Graph;
        lowering.BindLayerInput(layer, Shape.Of(Count), call.Location);
        int table = g.Parameter(layer.ParameterName + ".weight", Shape.Of(Count, Dimension));
        switch (input)
        {
            case ArangeValue arange when arange.Length == Count:
                return new TensorValue(table);
            case ArangeValue arange:
                return lowering.Report(DiagnosticDescriptors.UnsupportedArange, call.Arguments[0].Location, arange.Length, "'" + layer.MethodName + "' has " + Count + " rows");
            case PendingTokens pending:
                return lowering.MissingShape(pending.Name);
            case TokensValue ids:
                return new TensorValue(g.Gather(table, ids.Node));
            default:
                return lowering.Report(DiagnosticDescriptors.WrongArgumentKind, call.Arguments[0].Location, "Embedding layer '" + layer.MethodName + "'", "Tokens", 1, input is LabelValue ? "a Label" : "a Tensor");
        }
    }

    /// <summary>nn.Embedding's: N(0, 1).</summary>
    public override IEnumerable<LayerParameter> Parameters(ResolvedLayer layer)
    {
        yield return new LayerParameter("weight", Shape.Of(Count, Dimension), 1, "Normal");
    }

    public override string InputText(ResolvedLayer layer) => "ids";

    public override Shape OutputShape(ResolvedLayer layer) => Shape.Of(Dimension);

    public override void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        OpenEagerBody(w, layer, $"// [Embedding({Count}, {Dimension})] {layer.MethodName}: ids [T] -> [T, {Dimension}], run eagerly on the reference Tensor.", TypeNames.Tokens);
        w.Line($"{TypeNames.EagerLayers}.Embedding({layer.InputName}, {parameter("weight")});");
        w.Unindent();
    }
}
