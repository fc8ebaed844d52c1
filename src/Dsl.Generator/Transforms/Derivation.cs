using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Autodiff.Functions;
using Dsl.Generator.Common;
using Dsl.Generator.Fusion.Functions;
using Dsl.Generator.Ir.Functions;

namespace Dsl.Generator.Transforms;

/// <summary>
/// The transforms as functions from IR to IR, composed as JAX composes them: <c>grad</c> and
/// <c>value_and_grad</c> are <c>vjp</c> seeded with 1; a Jacobian is a VJP per row or a JVP per
/// column; a Hessian is forward over reverse. Every result is simplified before it is used, so a
/// derived function that is differentiated again starts from the readable form.
/// </summary>
internal static class Derivation
{
    /// <summary>
    /// The derived scalar function of an IR-level transform (Grad, ValueAndGrad, Jvp, Vjp), with
    /// respect to the C# parameters <paramref name="wrt"/> (a tuple parameter's gradient is a tuple
    /// of the same shape). With <paramref name="hasAux"/> the source returns <c>(value, aux)</c> and
    /// the gradient is of the value alone, as JAX's <c>has_aux</c>: Grad returns
    /// <c>(gradient..., aux)</c> and ValueAndGrad <c>((value, aux), gradient...)</c>, the aux unchanged.
    /// </summary>
    public static Function Derive(TransformKind kind, Function source, IReadOnlyList<ParameterGroup> wrt, string name, bool hasAux = false)
    {
        var leaves = wrt.SelectMany(source.LeavesOf).ToList();
        var gradients = wrt.Select(g => g.Layout).ToList();
        string? aux = hasAux ? AuxLayout(source) : null;
        int auxCount = aux is null ? 0 : ResultLayout.Count(aux);
        string value = aux is null ? ResultLayout.Single : ResultLayout.Tuple(new[] { ResultLayout.Single, aux });
        return FunctionSimplifier.Simplify(kind switch
        {
            TransformKind.Grad => ReverseFunction.Vjp(source, leaves, unitSeed: true, keepValue: false, name, auxCount,
                ResultLayout.Tuple(aux is null ? gradients : gradients.Append(aux))),
            TransformKind.ValueAndGrad => ReverseFunction.Vjp(source, leaves, unitSeed: true, keepValue: true, name, auxCount,
                ResultLayout.Tuple(gradients.Prepend(value))),
            TransformKind.Vjp => ReverseFunction.Vjp(source, leaves, unitSeed: false, keepValue: true, name,
                layout: ResultLayout.Tuple(source.Results.Select(_ => ResultLayout.Single).Concat(gradients))),
            TransformKind.Jvp => WithTangentGroups(ForwardFunction.Jvp(source, leaves, name), source, wrt),
            _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "a driver, not a function"),
        }, Own(source));
    }

    /// <summary>A JVP's tangent parameters gathered as the parameters they are tangents of (a tuple's tangent is a tuple).</summary>
    private static Function WithTangentGroups(Function jvp, Function source, IReadOnlyList<ParameterGroup> wrt) =>
        jvp with { ParameterGroups = source.ParameterGroups.Concat(wrt.Select(g => new ParameterGroup("d" + g.Name, g.Layout))).ToEquatableArray() };

    /// <summary>
    /// The layout of the aux of a source that returns <c>(value, aux)</c> with a scalar value, or
    /// null when it does not (the parser reports that before deriving).
    /// </summary>
    public static string? AuxLayout(Function source)
    {
        IReadOnlyList<string> parts = ResultLayout.Elements(source.Layout);
        bool pair = parts.Count == 2 && parts[0] == ResultLayout.Single
            && source[source.Results[0]] is { IsArray: false } value && Types.IsFloat(value.Type);
        return pair ? parts[1] : null;
    }

    /// <summary>
    /// Whether a [Grad] or [ValueAndGrad] of <paramref name="source"/> has nothing to differentiate:
    /// without HasAux, the source must return one scalar. Other transforms accept any result.
    /// </summary>
    public static bool LacksScalarResult(TransformKind kind, bool hasAux, Function source) =>
        kind is TransformKind.Grad or TransformKind.ValueAndGrad && !hasAux
        && (source.Results.Count != 1 || source[source.Results[0]].IsArray);

    /// <summary>The source's variables: the statements writing them are the user's and keep their arithmetic.</summary>
    private static IEnumerable<string> Own(Function source) => source.Variables.Select(v => v.Name);

    /// <summary>
    /// The helper a Jacobian or Hessian driver calls: a VJP (rows), a JVP (columns), or the JVP of
    /// the gradient (Hessian columns). Each returns only the row or column the driver reads, so
    /// dead-code removal drops what computes the rest (the Hessian's gradient itself, the value).
    /// </summary>
    public static Function Helper(TransformKind kind, Function source, ParameterGroup wrt, string name) => kind switch
    {
        TransformKind.JacRev => FunctionSimplifier.Simplify(ReverseFunction.Vjp(source, source.LeavesOf(wrt), unitSeed: false, keepValue: false, name), Own(source)),
        TransformKind.JacFwd => TangentsOnly(ForwardFunction.Jvp(source, source.LeavesOf(wrt), name), source.Results.Count, source),
        TransformKind.Hessian => TangentsOnly(ForwardFunction.Jvp(
            Derive(TransformKind.Grad, source, new[] { wrt }, name), source.LeavesOf(wrt), name), 1, source),
        _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "no helper"),
    };

    /// <summary>A JVP that returns its tangents alone, not the <paramref name="primals"/> values before them.</summary>
    private static Function TangentsOnly(Function jvp, int primals, Function source)
    {
        var tangents = jvp.Results.Skip(primals).ToEquatableArray();
        return FunctionSimplifier.Simplify(jvp with { Results = tangents, Layout = ResultLayout.Flat(tangents.Count) }, Own(source));
    }
}
