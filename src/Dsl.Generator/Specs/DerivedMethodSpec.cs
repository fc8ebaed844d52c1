using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir.Functions;
using Dsl.Generator.Transforms;

namespace Dsl.Generator.Specs;

/// <summary>
/// What the parser read and derived for one transform attribute: where the method lives, its
/// declaration as the user wrote it, and either the derived function's IR (Grad, ValueAndGrad,
/// Jvp, Vjp) or the helpers and facts a driver loop needs (Jacobian, Hessian, Vmap).
/// </summary>
/// <param name="Header">The user's declaration, e.g. <c>public static partial double DF(double x)</c>.</param>
/// <param name="ParameterNames">The user's parameter names, as calls of the source pass them.</param>
/// <param name="ParameterAccess">How the IR's parameters are read from the user's, in order: <c>x</c>, or <c>p.Item1</c> for a tuple's leaf.</param>
/// <param name="Source">The source function's name, as C# calls it.</param>
/// <param name="Origin">Where the source is, for the generated comment, e.g. <c>Calculus.cs:12</c>.</param>
/// <param name="Function">The derived function, for the kinds that are functions.</param>
/// <param name="Helpers">The VJP/JVP functions a driver calls.</param>
/// <param name="Input">For Jacobians and Hessians: the index of the parameter they are taken with respect to.</param>
/// <param name="Mapped">For Vmap: which parameters are mapped over.</param>
/// <param name="SourceResults">For Vmap: the source's result element types, e.g. <c>double</c>, <c>double[]</c>.</param>
/// <param name="ParameterTypes">The user's parameter types, fully qualified: a driver's helpers take them as declared (a span stays a span).</param>
internal sealed record DerivedMethodSpec(
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string HintName,
    string Header,
    EquatableArray<string> ParameterNames,
    EquatableArray<string> ParameterAccess,
    TransformKind Kind,
    string Source,
    string Origin,
    Function? Function,
    EquatableArray<Function> Helpers,
    int Input,
    EquatableArray<bool> Mapped,
    EquatableArray<string> SourceResults,
    EquatableArray<string> ParameterTypes);

/// <summary>
/// One derived method's parse: the spec, or, when a diagnostic stopped it, a body that throws
/// (so the user sees the DSL diagnostic, not also C#'s "partial method has no implementation").
/// </summary>
internal sealed record DerivedMethodResult(DerivedMethodSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, DerivedMethodSpec? Fallback = null);
