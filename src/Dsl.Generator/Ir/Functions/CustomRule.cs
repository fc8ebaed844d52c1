namespace Dsl.Generator.Ir.Functions;

/// <summary>
/// The user's derivative rules for one function (JAX's <c>custom_vjp</c> and <c>custom_jvp</c>),
/// which the transforms use instead of differentiating its body. The function is called as an
/// <see cref="OpKind.Call"/> node named <see cref="Function"/>; each rule is an ordinary function
/// of the supported subset, so it is inlined into the derivative and can be differentiated again.
/// </summary>
/// <param name="Function">The function's C# name as generated code calls it, e.g. <c>global::Samples.Calculus.SafeLog</c>.</param>
/// <param name="Vjp">
/// The reverse rule: the function's parameters, then its result, then the result's cotangent; it
/// returns the cotangent of each float parameter, in order. Null when only a JVP rule is given
/// (reverse mode then transposes the JVP rule, which is linear in the tangents).
/// </param>
/// <param name="Jvp">
/// The forward rule: the function's parameters, then its result, then a tangent per float
/// parameter; it returns the result's tangent. Null when only a VJP rule is given (forward mode
/// then cannot go through the function, as in JAX).
/// </param>
internal sealed record CustomRule(string Function, Function? Vjp, Function? Jvp);
