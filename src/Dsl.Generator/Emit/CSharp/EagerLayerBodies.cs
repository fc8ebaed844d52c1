using System;
using Dsl.Generator.Common;
using Dsl.Generator.Lowering;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Emit.CSharp;

/// <summary>
/// Writes a layer's eager body, run on the reference Tensor, for a model and for a module alike:
/// the caller says how a parameter is fetched (<c>Parameters.ToTensor("hidden.weight")</c> in a
/// model, <c>_moduleParameters.ToTensor(_modulePrefix + "up.weight")</c> in a module), so a layer
/// kind is written here once and works inside modules unchanged.
/// </summary>
internal static class EagerLayerBodies
{
    /// <summary>
    /// Writes the body of <paramref name="layer"/>. <paramref name="parameter"/> maps a parameter's
    /// name after the layer's prefix ("weight", "bias") to the expression that reads it;
    /// <paramref name="resolved"/> gives the sizes for the comment, when they are known.
    /// </summary>
    public static void Write(SourceWriter w, LayerSpec l, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        string weight = parameter("weight");
        string bias = l.Kind != LayerKind.Embedding && l.Bias ? parameter("bias") : "null";
        switch (l.Kind)
        {
            case LayerKind.Dropout:
                w.Line($"// [Dropout({Literals.Float(l.Probability)})] {l.MethodName}: the identity here, as nn.Dropout in eval mode; it drops only in the compiled training step.");
                w.Line($"{l.Accessibility} partial {TypeNames.Tensor} {l.MethodName}({TypeNames.Tensor} {l.InputName}) => {l.InputName};");
                return;
            case LayerKind.Embedding:
                w.Line($"// [Embedding({l.Count}, {l.OutFeatures})] {l.MethodName}: ids [T] -> [T, {l.OutFeatures}], run eagerly on the reference Tensor.");
                w.Line($"{l.Accessibility} partial {TypeNames.Tensor} {l.MethodName}({TypeNames.Tokens} {l.InputName}) =>");
                w.Indent();
                w.Line($"{TypeNames.EagerLayers}.Embedding({l.InputName}, {weight});");
                break;
            case LayerKind.LayerNorm:
                string d = resolved is null ? "d" : resolved.InFeatures.ToString(System.Globalization.CultureInfo.InvariantCulture);
                w.Line($"// [LayerNorm] {l.MethodName}: [..., {d}] -> [..., {d}], run eagerly on the reference Tensor.");
                w.Line($"{l.Accessibility} partial {TypeNames.Tensor} {l.MethodName}({TypeNames.Tensor} {l.InputName}) =>");
                w.Indent();
                w.Line($"{TypeNames.EagerLayers}.LayerNorm({l.InputName}, {weight}, {bias});");
                break;
            case LayerKind.MultiHeadAttention:
                string width = resolved is null ? "d" : resolved.InFeatures.ToString(System.Globalization.CultureInfo.InvariantCulture);
                w.Line($"// [MultiHeadAttention(Heads = {l.Heads}, Causal = {(l.Causal ? "true" : "false")})] {l.MethodName}: [T, {width}] -> [T, {width}], run eagerly on the reference Tensor"
                    + (l.Probability > 0 ? " (no dropout: eval mode)." : "."));
                w.Line($"{l.Accessibility} partial {TypeNames.Tensor} {l.MethodName}({TypeNames.Tensor} {l.InputName}) =>");
                w.Indent();
                w.Line($"{TypeNames.EagerLayers}.MultiHeadAttention({l.InputName}, {parameter("in_proj_weight")}, {parameter("in_proj_bias")}, {parameter("out_proj.weight")}, {parameter("out_proj.bias")}, {Literals.Int(l.Heads)}, {(l.Causal ? "true" : "false")});");
                break;
            default:
                string shapes = resolved is null ? "[..., in] -> [..., " + l.OutFeatures + "]" : resolved.InputText + " -> " + resolved.OutputShape;
                w.Line($"// [Dense({l.OutFeatures})] {l.MethodName}: {shapes}, run eagerly on the reference Tensor.");
                w.Line($"{l.Accessibility} partial {TypeNames.Tensor} {l.MethodName}({TypeNames.Tensor} {l.InputName}) =>");
                w.Indent();
                w.Line($"{TypeNames.EagerLayers}.Dense({l.InputName}, {weight}, {bias});");
                break;
        }
        w.Unindent();
    }
}
