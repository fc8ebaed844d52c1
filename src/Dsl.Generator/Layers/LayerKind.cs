using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Emit.Onnx;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Layers;

/// <summary>
/// One kind of layer attribute (<c>[Dense]</c>, <c>[Conv2d]</c>, ...) with its arguments: a plain,
/// value-equal record, so a <see cref="LayerSpec"/> stays a cache key. Each kind holds everything
/// about itself that used to be a switch: its parsing (a static <c>Parse</c> registered in
/// <see cref="LayerCatalogue"/>), its lowering to IR, its parameters (layout and initialisation),
/// the shapes the summary shows, and its eager body. Adding a layer is adding one of these.
/// </summary>
internal abstract record LayerKind
{
    /// <summary>The attribute as users write it, e.g. <c>Dense</c>: the summary's "kind" column.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the layer reads Tokens ids rather than a Tensor.</summary>
    public virtual bool TakesTokens => false;

    /// <summary>
    /// Whether the layer owns parameters, so its input size is bound at its first call and it is a
    /// <see cref="ResolvedLayer"/>; a parameterless layer (Dropout, pooling) takes any input.
    /// </summary>
    public virtual bool HasParameters => true;

    /// <summary>
    /// Whether a later call's input agrees with the first call's, <paramref name="bound"/>: by
    /// default the last axis only (a Dense layer maps rows of any leading shape).
    /// </summary>
    public virtual bool SameInput(Shape bound, Shape input) => bound.Last == input.Last;

    /// <summary>What the first call fixed, as a conflict message shows it: <c>[in]</c> by default.</summary>
    public virtual Shape BoundInput(Shape bound) => Shape.Of(bound.Last);

    /// <summary>
    /// The layer's own ONNX operator (opset 17), which an exported forward graph uses for each call
    /// on a batched input instead of the ops the call lowered to (a Conv rather than im2col and a
    /// product); null where the layer exports as those ops (Emit/Onnx/OnnxLayerRules.cs holds the rules).
    /// </summary>
    public virtual OnnxLayerRule? Onnx => null;

    /// <summary>Lowers one call of <paramref name="layer"/> on <paramref name="input"/> to IR nodes.</summary>
    public abstract Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input);

    /// <summary>
    /// The layer's parameters in PyTorch's <c>state_dict</c> order (names after the layer's
    /// prefix), each with its shape and initialisation.
    /// </summary>
    public virtual IEnumerable<LayerParameter> Parameters(ResolvedLayer layer) => Enumerable.Empty<LayerParameter>();

    /// <summary>The input of one example as the summary shows it, e.g. <c>[64]</c>.</summary>
    public virtual string InputText(ResolvedLayer layer) => Shape.Of(layer.InFeatures).ToString();

    /// <summary>The output of one example (one position of a sequence).</summary>
    public abstract Shape OutputShape(ResolvedLayer layer);

    /// <summary>
    /// Writes the layer's eager body, run on the reference Tensor, for a model and a module alike:
    /// <paramref name="parameter"/> maps a parameter's name after the layer's prefix ("weight") to
    /// the expression that reads it (<c>Parameters.ToTensor("hidden.weight")</c> in a model,
    /// <c>_moduleParameters.ToTensor(_modulePrefix + "up.weight")</c> in a module);
    /// <paramref name="resolved"/> gives the sizes for the comment, when they are known.
    /// </summary>
    public abstract void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter);

    /// <summary>Writes the comment and the declaration line of an eager body (<c>... Hidden(Tensor x) =&gt;</c>), then indents.</summary>
    protected static void OpenEagerBody(SourceWriter w, LayerSpec layer, string comment, string inputType = TypeNames.Tensor)
    {
        w.Line(comment);
        w.Line($"{layer.Accessibility} partial {TypeNames.Tensor} {layer.MethodName}({inputType} {layer.InputName}) =>");
        w.Indent();
    }
}

/// <summary>
/// A parameter a layer owns: its name after the layer's prefix (<c>weight</c>), its shape and
/// how it starts (<paramref name="Init"/> names a <c>Dsl.ParameterInit</c>; <paramref name="FanIn"/>
/// bounds the uniform one). <paramref name="Role"/> names a <c>Dsl.ParameterRole</c>: a trainable
/// <c>Parameter</c>, or a <c>Buffer</c>/<c>CountBuffer</c> (non-trainable state, BatchNorm's running statistics).
/// </summary>
internal sealed record LayerParameter(string Name, Shape Shape, int FanIn, string Init = "Uniform", string Role = LayerParameter.Trainable)
{
    /// <summary>The role of a trainable parameter.</summary>
    public const string Trainable = "Parameter";

    /// <summary>Whether the optimizer trains it.</summary>
    public bool IsTrainable => Role == Trainable;
}
