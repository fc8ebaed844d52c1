using Dsl.Generator.Ops;

namespace Dsl.Generator.Ir;

/// <summary>
/// Classifications of <see cref="OpKind"/> that passes and emitters ask about: look-ups in each
/// op's <see cref="OpDefinition"/> (<see cref="OpTable"/>), or ranges of the catalogue.
/// </summary>
internal static class OpGroups
{
    /// <summary>Inputs, parameters, constants, the loss seed, and the scalar functions' variables and lengths: no inputs, no rules.</summary>
    public static bool IsLeaf(OpKind op) => OpTable.Of(op).IsLeaf;

    /// <summary>
    /// The ops only the transforms' scalar functions use (the catalogue's last section, from
    /// <see cref="OpKind.Variable"/> to <see cref="OpKind.Call"/>); model graphs never contain them.
    /// </summary>
    public static bool IsScalarFunctionOp(OpKind op) => op is >= OpKind.Variable and <= OpKind.Call;

    /// <summary>The element-wise unary ops of model graphs (the catalogue's section from Negate to GeluDerivative, and NormalCdf).</summary>
    public static bool IsUnary(OpKind op) => op is >= OpKind.Negate and <= OpKind.GeluDerivative or OpKind.NormalCdf;

    /// <summary>The element-wise binary ops (the catalogue's section from Add to Minimum).</summary>
    public static bool IsBinary(OpKind op) => op is >= OpKind.Add and <= OpKind.Minimum;

    /// <summary>
    /// Ops computed one element at a time, which fusion may chain into one loop. Dropout is one:
    /// its mask at an element is a pure function of (seed, site, step, position), computed in the loop.
    /// </summary>
    public static bool IsElementwise(OpKind op) => OpTable.Of(op).IsElementwise;

    /// <summary>Ops that only move elements (their derivative is the inverse movement).</summary>
    public static bool IsMovement(OpKind op) => op is OpKind.Transpose or OpKind.Reshape or OpKind.Concat or OpKind.Slice;

    /// <summary>Ops whose output carries no gradient (masks, indices, metrics).</summary>
    public static bool IsNonDifferentiable(OpKind op) => !OpTable.Of(op).CarriesGradient;
}
