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
    /// <summary>The derived scalar function of an IR-level transform (Grad, ValueAndGrad, Jvp, Vjp).</summary>
    public static Function Derive(TransformKind kind, Function source, IReadOnlyList<string> wrt, string name) =>
        FunctionSimplifier.Simplify(kind switch
        {
            TransformKind.Grad => ReverseFunction.Vjp(source, wrt, unitSeed: true, keepValue: false, name),
            TransformKind.ValueAndGrad => ReverseFunction.Vjp(source, wrt, unitSeed: true, keepValue: true, name),
            TransformKind.Vjp => ReverseFunction.Vjp(source, wrt, unitSeed: false, keepValue: true, name),
            TransformKind.Jvp => ForwardFunction.Jvp(source, wrt, name),
            _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "a driver, not a function"),
        }, Own(source));

    /// <summary>The source's variables: the statements writing them are the user's and keep their arithmetic.</summary>
    private static IEnumerable<string> Own(Function source) => source.Variables.Select(v => v.Name);

    /// <summary>
    /// The helper a Jacobian or Hessian driver calls: a VJP (rows), a JVP (columns), or the JVP of
    /// the gradient (Hessian columns). Each returns only the row or column the driver reads, so
    /// dead-code removal drops what computes the rest (the Hessian's gradient itself, the value).
    /// </summary>
    public static Function Helper(TransformKind kind, Function source, string wrt, string name) => kind switch
    {
        TransformKind.JacRev => FunctionSimplifier.Simplify(ReverseFunction.Vjp(source, new[] { wrt }, unitSeed: false, keepValue: false, name), Own(source)),
        TransformKind.JacFwd => TangentsOnly(ForwardFunction.Jvp(source, new[] { wrt }, name), source.Results.Count, source),
        TransformKind.Hessian => TangentsOnly(ForwardFunction.Jvp(
            Derive(TransformKind.Grad, source, new[] { wrt }, name), new[] { wrt }, name), 1, source),
        _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "no helper"),
    };

    /// <summary>A JVP that returns its tangents alone, not the <paramref name="primals"/> values before them.</summary>
    private static Function TangentsOnly(Function jvp, int primals, Function source) =>
        FunctionSimplifier.Simplify(jvp with { Results = jvp.Results.Skip(primals).ToEquatableArray() }, Own(source));
}
