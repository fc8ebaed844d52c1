using System.Linq;
using Dsl.Generator.Common;

namespace Dsl.Generator.Ir;

/// <summary>A static per-example shape; the batch dimension is never part of it.</summary>
internal sealed record Shape(EquatableArray<int> Dimensions)
{
    public static readonly Shape Scalar = new(EquatableArray<int>.Empty);

    public static Shape Of(params int[] dimensions) => new(dimensions.ToEquatableArray());

    public int Rank => Dimensions.Count;

    /// <summary>The number of elements of one example.</summary>
    public int Size => Dimensions.Aggregate(1, (a, b) => a * b);

    public bool IsScalar => Rank == 0;

    public int this[int axis] => Dimensions[axis];

    /// <summary>"[16, 10]", or "[]" for a scalar, as messages and comments show it.</summary>
    public override string ToString() => "[" + string.Join(", ", Dimensions) + "]";
}
