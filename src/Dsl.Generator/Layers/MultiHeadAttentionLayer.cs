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

/// <summary>
/// <c>[MultiHeadAttention(Heads, Causal, Dropout)]</c>: nn.MultiheadAttention(d, heads) as
/// self-attention over [T, d], optionally causal, with dropout <paramref name="Probability"/> on its weights.
/// </summary>
internal sealed record MultiHeadAttentionLayer(int Heads, bool Causal, double Probability) : LayerKind
{
    public override string Name => "MultiHeadAttention";

    public static LayerKind? Parse(LayerAttributeReader a)
    {
        if (a.Named("Heads").Value is not int count || count < 1)
        {
            a.Report(DiagnosticDescriptors.InvalidHeadCount, a.Named("Heads").Value ?? "missing", a.MethodName);
            return null;
        }
        float p = a.Named("Dropout").Value is float value ? value : 0f;
        if (!(p >= 0f && p < 1f))
        {
            a.Report(DiagnosticDescriptors.InvalidDropoutProbability, p, a.Display);
            return null;
        }
        return new MultiHeadAttentionLayer(count, a.NamedBool("Causal", false), p);
    }

    /// <summary>
    /// As nn.MultiheadAttention computes it: one fused projection qkv = x·W_inᵀ + b_in [T, 3d]; per
    /// head, q scaled by 1/√dh, weights P = softmax(q·kᵀ) [H, T, T] (causal: row i over keys j ≤ i),
    /// dropout on P in the [TrainingStep] only, P·v; the heads side by side [T, d] into the output projection.
    /// </summary>
    public override Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input)
    {
        GraphBuilder g = lowering.Graph;
        int x = lowering.TensorOf(input, call.Arguments[0], layer.MethodName, 1);
        Shape shape = g[x].Shape;
        if (shape.Rank != 2)
            return lowering.Report(DiagnosticDescriptors.AttentionOverNonSequence, call.Arguments[0].Location, layer.MethodName, shape);
        int length = shape[0], d = shape[1];
        if (d % Heads != 0)
            return lowering.Report(DiagnosticDescriptors.HeadsDoNotDivideWidth, layer.AttributeLocation ?? layer.Location, layer.MethodName, Heads, d);
        if (!lowering.BindLayerInput(layer, shape, call.Location))
            return ErrorValue.Instance;

        string prefix = layer.ParameterName;
        int inWeight = g.Parameter(prefix + ".in_proj_weight", Shape.Of(3 * d, d));
        int inBias = g.Parameter(prefix + ".in_proj_bias", Shape.Of(3 * d));
        int qkv = g.Add(g.Linear(inWeight, x), g.Tile(inBias, Shape.Of(length)));
        int merged = lowering.IsTrainingStep
            ? g.Attention(qkv, Heads, Causal, Probability, Probability > 0 ? lowering.NextDropoutSite() : 0)
            : Unfused(g, qkv);
        int outWeight = g.Parameter(prefix + ".out_proj.weight", Shape.Of(d, d));
        int outBias = g.Parameter(prefix + ".out_proj.bias", Shape.Of(d));
        return new TensorValue(g.Add(g.Linear(outWeight, merged), g.Tile(outBias, Shape.Of(length))));
    }

    /// <summary>
    /// The heads one op at a time, for the [Forward] and [ValidationStep] entries (and their ONNX
    /// export): q scaled, q·kᵀ, softmax, P·v, merged. A [TrainingStep] builds the one fused op,
    /// whose backward pass recomputes the weights instead of keeping them.
    /// </summary>
    private int Unfused(GraphBuilder g, int qkv)
    {
        int d = g[qkv].Shape[1] / 3;
        int q = g.Multiply(g.Constant(1 / Math.Sqrt(d / Heads)), g.SplitHeads(qkv, Heads, 0, 3));
        int k = g.SplitHeads(qkv, Heads, 1, 3), v = g.SplitHeads(qkv, Heads, 2, 3);
        int scores = g.MatMul(q, k, transposeB: true);
        int weights = Causal ? g.CausalSoftmax(scores) : g.Softmax(scores);
        return g.MergeHeads(g.MatMul(weights, v), 0, 1);
    }

    /// <summary>
    /// In its state_dict order: the fused q, k, v projection (Xavier-uniform weight, zero bias)
    /// and the output projection (nn.Linear's weight, zero bias).
    /// </summary>
    public override IEnumerable<LayerParameter> Parameters(ResolvedLayer layer)
    {
        int d = layer.InFeatures;
        yield return new LayerParameter("in_proj_weight", Shape.Of(checked(3 * d), d), d, "XavierUniform");
        yield return new LayerParameter("in_proj_bias", Shape.Of(3 * d), d, "Zeros");
        yield return new LayerParameter("out_proj.weight", Shape.Of(d, d), d);
        yield return new LayerParameter("out_proj.bias", Shape.Of(d), d, "Zeros");
    }

    public override Shape OutputShape(ResolvedLayer layer) => Shape.Of(layer.InFeatures);

    public override void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        string width = resolved is null ? "d" : resolved.InFeatures.ToString(CultureInfo.InvariantCulture);
        OpenEagerBody(w, layer, $"// [MultiHeadAttention(Heads = {Heads}, Causal = {(Causal ? "true" : "false")})] {layer.MethodName}: [T, {width}] -> [T, {width}], run eagerly on the reference Tensor"
            + (Probability > 0 ? " (no dropout: eval mode)." : "."));
        w.Line($"{TypeNames.EagerLayers}.MultiHeadAttention({layer.InputName}, {parameter("in_proj_weight")}, {parameter("in_proj_bias")}, {parameter("out_proj.weight")}, {parameter("out_proj.bias")}, {Literals.Int(Heads)}, {(Causal ? "true" : "false")});");
        w.Unindent();
    }
}
