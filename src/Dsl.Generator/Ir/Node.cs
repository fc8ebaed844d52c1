using Dsl.Generator.Common;

namespace Dsl.Generator.Ir;

/// <summary>The element type of a value.</summary>
internal enum DType
{
    F32,
    I32,

    /// <summary>A C# <c>double</c>, which the scalar functions of the transforms mostly use.</summary>
    F64,

    /// <summary>A comparison's result.</summary>
    Bool,
}

/// <summary>
/// One SSA value of the IR: an op over earlier nodes, with its static per-example shape, whether it
/// varies over the batch, its element type, an op attribute and the user's source line (as JAX's
/// <c>JaxprEqn.source_info</c>, so derived nodes still know where they came from).
/// </summary>
/// <param name="Id">The node's index in its graph; inputs always have smaller ids.</param>
/// <param name="Constant">The value of a <see cref="OpKind.Constant"/>.</param>
/// <param name="Name">The name of an input or parameter, e.g. <c>x</c> or <c>hidden.weight</c>.</param>
internal sealed record Node(
    int Id, OpKind Op, EquatableArray<int> Inputs, Shape Shape, bool Batched, DType Type,
    double Constant, string? Name, LocationInfo? Source)
{
    /// <summary>
    /// Integer attributes of the op beyond its shape (axes of a transpose, a head count, flags),
    /// each op documenting its own in <see cref="OpKind"/>; empty for most ops.
    /// </summary>
    public EquatableArray<int> Attributes { get; init; } = EquatableArray<int>.Empty;

    /// <summary>The structural identity used for hash-consing: everything but the id and the source line.</summary>
    public NodeKey Key => new(Op, Inputs, Shape, Batched, Type, Constant, Name, Attributes);

    /// <summary>"%12 = linear(%3, %7) : f32[B, 16]", as dumps and generated comments show it.</summary>
    public override string ToString() => IrPrinter.Format(this);
}

/// <summary>See <see cref="Node.Key"/>.</summary>
internal readonly record struct NodeKey(OpKind Op, EquatableArray<int> Inputs, Shape Shape, bool Batched, DType Type, double Constant, string? Name, EquatableArray<int> Attributes);
