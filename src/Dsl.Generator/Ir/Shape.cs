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
    public int Size => Dimensions.Aggregate(1, (a, b) => checked(a * b));

    /// <summary>Whether one example's element count fits an <c>int</c>, which <see cref="Size"/> and every generated buffer use.</summary>
    public bool FitsInt32
    {
        get
        {
            long count = 1;
            foreach (int dimension in Dimensions)
                if ((count *= dimension) > int.MaxValue)
                    return false;
            return true;
        }
    }

    public bool IsScalar => Rank == 0;

    public int this[int axis] => Dimensions[axis];

    /// <summary>The length of the last axis, the one row-wise ops and Dense act on (1 for a scalar).</summary>
    public int Last => IsScalar ? 1 : Dimensions[Rank - 1];

    /// <summary>
    /// Every axis but the last: the "rows" a row-wise op or a Dense layer maps one by one
    /// (<c>[T, d]</c> gives <c>[T]</c>; a vector gives the scalar shape).
    /// </summary>
    public Shape Leading => IsScalar ? this : new(Dimensions.Take(Rank - 1).ToEquatableArray());

    /// <summary>The number of rows of the last axis in one example: the product of the leading axes.</summary>
    public int Rows => Leading.Size;

    /// <summary>This shape with one more axis of <paramref name="length"/> at the end.</summary>
    public Shape Append(int length) => new(Dimensions.Concat(new[] { length }).ToEquatableArray());

    /// <summary>"[16, 10]", or "[]" for a scalar, as messages and comments show it.</summary>
    public override string ToString() => "[" + string.Join(", ", Dimensions) + "]";
}
