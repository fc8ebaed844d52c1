namespace Dsl.Generator.Transforms;

/// <summary>The derived functions of Dsl's JAX-style transforms, one per attribute.</summary>
internal enum TransformKind
{
    Grad,
    ValueAndGrad,
    Jvp,
    Vjp,
    Jacobian,
    JacRev,
    JacFwd,
    Hessian,
    Vmap,
}

internal static class TransformKinds
{
    /// <summary>The attribute's metadata name, e.g. <c>Dsl.GradAttribute</c>.</summary>
    public static string AttributeName(TransformKind kind) => "Dsl." + kind + "Attribute";

    /// <summary>Whether the result is again a scalar function that can be inlined and differentiated.</summary>
    public static bool IsFunction(TransformKind kind) => kind is TransformKind.Grad or TransformKind.ValueAndGrad or TransformKind.Jvp or TransformKind.Vjp;

    /// <summary>How the docs and messages name it: "gradient", "Jacobian", ...</summary>
    public static string Describe(TransformKind kind) => kind switch
    {
        TransformKind.Grad => "gradient",
        TransformKind.ValueAndGrad => "value and gradient",
        TransformKind.Jvp => "Jacobian-vector product",
        TransformKind.Vjp => "vector-Jacobian product",
        TransformKind.Hessian => "Hessian",
        TransformKind.Vmap => "batched map",
        _ => "Jacobian",
    };
}
