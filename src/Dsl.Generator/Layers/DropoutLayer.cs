using System;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Parsing;
using Dsl.Generator.Specs;
using Microsoft.CodeAnalysis;

namespace Dsl.Generator.Layers;

/// <summary><c>[Dropout(p)]</c>: nn.Dropout, no parameters, any input shape.</summary>
internal sealed record DropoutLayer(double Probability) : LayerKind
{
    public override string Name => "Dropout";

    public override bool HasParameters => false;

    public static LayerKind? Parse(LayerAttributeReader a)
    {
        TypedConstant p = a.Positional(0);
        if (p.Kind == TypedConstantKind.Error || a.PositionalCount != 1)
            return null; // C# reports the argument itself.
        if (p.Value is not float value || !(value >= 0f && value < 1f))
        {
            a.Report(DiagnosticDescriptors.InvalidDropoutProbability, p.Value ?? "?", a.Display);
            return null;
        }
        return new DropoutLayer(value);
    }

    /// <summary>
    /// In the [TrainingStep], x · mask / (1 − p) with each call its own site (so two calls of one
    /// layer draw independent masks); elsewhere (eval mode) and for p = 0, x itself.
    /// </summary>
    public override Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input)
    {
        int x = lowering.TensorOf(input, call.Arguments[0], layer.MethodName, 1);
        lowering.MarkCalled(layer);
        if (!lowering.IsTrainingStep || Probability == 0)
            return new TensorValue(x);
        return new TensorValue(lowering.Graph.Dropout(x, Probability, lowering.NextDropoutSite()));
    }

    public override Shape OutputShape(ResolvedLayer layer) => Shape.Of(layer.InFeatures);

    public override void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        w.Line($"// [Dropout({Literals.Float(Probability)})] {layer.MethodName}: the identity here, as nn.Dropout in eval mode; it drops only in the compiled training step.");
        w.Line($"{layer.Accessibility} partial {TypeNames.Tensor} {layer.MethodName}({TypeNames.Tensor} {layer.InputName}) => {layer.InputName};");
    }
}
