using System;
using System.Runtime.CompilerServices;

namespace Dsl;

public sealed partial class Tensor
{
    /// <summary>Element-wise sum. Shapes broadcast as NumPy's (aligned from the last axis, each pair of dimensions equal or one of them 1).</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    /// <returns>A tensor of the broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor operator +(Tensor left, Tensor right) =>
        Broadcast(left, right, static (a, b) => a + b, "add", "and");

    /// <summary>Element-wise difference. Shapes broadcast as NumPy's.</summary>
    /// <param name="left">The minuend.</param>
    /// <param name="right">The subtrahend.</param>
    /// <returns>A tensor of the broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor operator -(Tensor left, Tensor right) =>
        Broadcast(left, right, static (a, b) => a - b, "subtract", "and");

    /// <summary>Element-wise (Hadamard) product. Shapes broadcast as NumPy's.</summary>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor.</param>
    /// <returns>A tensor of the broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor operator *(Tensor left, Tensor right) =>
        Broadcast(left, right, static (a, b) => a * b, "multiply", "by");

    /// <summary>Element-wise quotient (IEEE: division by zero gives ±∞ or NaN). Shapes broadcast as NumPy's.</summary>
    /// <param name="left">The dividend.</param>
    /// <param name="right">The divisor.</param>
    /// <returns>A tensor of the broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor operator /(Tensor left, Tensor right) =>
        Broadcast(left, right, static (a, b) => a / b, "divide", "by");

    /// <summary>Adds <paramref name="right"/> to every element.</summary>
    /// <param name="left">The tensor.</param>
    /// <param name="right">The constant.</param>
    /// <returns>A tensor of <paramref name="left"/>'s shape.</returns>
    public static Tensor operator +(Tensor left, double right) => NotNull(left).Map(a => a + right);

    /// <summary>Adds <paramref name="left"/> to every element.</summary>
    /// <param name="left">The constant.</param>
    /// <param name="right">The tensor.</param>
    /// <returns>A tensor of <paramref name="right"/>'s shape.</returns>
    public static Tensor operator +(double left, Tensor right) => NotNull(right).Map(b => left + b);

    /// <summary>Subtracts <paramref name="right"/> from every element.</summary>
    /// <param name="left">The tensor.</param>
    /// <param name="right">The constant.</param>
    /// <returns>A tensor of <paramref name="left"/>'s shape.</returns>
    public static Tensor operator -(Tensor left, double right) => NotNull(left).Map(a => a - right);

    /// <summary>Subtracts every element from <paramref name="left"/>, as in <c>1 - x</c>.</summary>
    /// <param name="left">The constant.</param>
    /// <param name="right">The tensor.</param>
    /// <returns>A tensor of <paramref name="right"/>'s shape.</returns>
    public static Tensor operator -(double left, Tensor right) => NotNull(right).Map(b => left - b);

    /// <summary>Multiplies every element by <paramref name="right"/>.</summary>
    /// <param name="left">The tensor.</param>
    /// <param name="right">The constant.</param>
    /// <returns>A tensor of <paramref name="left"/>'s shape.</returns>
    public static Tensor operator *(Tensor left, double right) => NotNull(left).Map(a => a * right);

    /// <summary>Multiplies every element by <paramref name="left"/>.</summary>
    /// <param name="left">The constant.</param>
    /// <param name="right">The tensor.</param>
    /// <returns>A tensor of <paramref name="right"/>'s shape.</returns>
    public static Tensor operator *(double left, Tensor right) => NotNull(right).Map(b => left * b);

    /// <summary>Divides every element by <paramref name="right"/>, as in <c>loss / 4</c>.</summary>
    /// <param name="left">The tensor.</param>
    /// <param name="right">The constant divisor.</param>
    /// <returns>A tensor of <paramref name="left"/>'s shape.</returns>
    public static Tensor operator /(Tensor left, double right) => NotNull(left).Map(a => a / right);

    /// <summary>Divides <paramref name="left"/> by every element, as in <c>1 / x</c>.</summary>
    /// <param name="left">The constant dividend.</param>
    /// <param name="right">The tensor of divisors.</param>
    /// <returns>A tensor of <paramref name="right"/>'s shape.</returns>
    public static Tensor operator /(double left, Tensor right) => NotNull(right).Map(b => left / b);

    /// <summary>Negates every element.</summary>
    /// <param name="value">The tensor.</param>
    /// <returns>A tensor of the same shape.</returns>
    public static Tensor operator -(Tensor value) => NotNull(value).Map(static a => -a);

    // NumPy's broadcasting, as the generator compiles it: the shapes are aligned from the last
    // axis, each pair of dimensions must be equal or one of them 1, and the result takes the larger
    // of each pair ([3, 1] + [1, 4] is [3, 4]; x - Mean(x, -1, true); a [T, T] mask against
    // [H, T, T]). The generator checks the same rule at compile time (DSL0101).
    /// <summary>An element-wise binary op of <see cref="Ops"/> (Maximum, Minimum), broadcast as the operators are.</summary>
    internal static Tensor Elementwise(Tensor left, Tensor right, Func<double, double, double> op, string verb, string conjunction) =>
        Broadcast(left, right, op, verb, conjunction);

    private static Tensor Broadcast(
        Tensor left, Tensor right, Func<double, double, double> op, string verb, string conjunction)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);

        if (left._shape.AsSpan().SequenceEqual(right._shape))
        {
            var result = new double[left._data.Length];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = op(left._data[i], right._data[i]);
            }

            return new Tensor(left._shape, result);
        }

        // The operands are named in source order (left, then right) so the user can match the
        // message to the expression, even where English would reverse them ("subtract B from A").
        int[] shape = BroadcastShape(left._shape, right._shape) ?? throw new ArgumentException(
            $"Cannot {verb} {left.ShapeText} {conjunction} {right.ShapeText}: {BroadcastRule}.");
        Func<int, int> leftIndex = BroadcastIndex(left, shape)!, rightIndex = BroadcastIndex(right, shape)!;
        var values = new double[Product(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = op(left._data[leftIndex(i)], right._data[rightIndex(i)]);
        }

        return new Tensor(shape, values);
    }

    /// <summary>The broadcasting rule, for messages.</summary>
    internal const string BroadcastRule =
        "shapes broadcast when, aligned from the last axis, each pair of dimensions is equal or one of them is 1";

    /// <summary>The shape that <paramref name="a"/> and <paramref name="b"/> broadcast to, or null when they do not.</summary>
    internal static int[]? BroadcastShape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (int i = 1; i <= rank; i++)
        {
            int da = i <= a.Length ? a[^i] : 1, db = i <= b.Length ? b[^i] : 1;
            if (da != db && da != 1 && db != 1)
            {
                return null;
            }

            shape[^i] = da == 1 ? db : da;
        }

        return shape;
    }

    /// <summary>
    /// Where element i of a tensor of shape <paramref name="target"/> finds its partner in
    /// <paramref name="narrow"/>, when narrow broadcasts to target (aligned from the last axis, each
    /// of narrow's dimensions equal to target's or 1); null when it does not.
    /// </summary>
    internal static Func<int, int>? BroadcastIndex(Tensor narrow, int[] target)
    {
        int[] n = narrow._shape;
        if (n.Length > target.Length)
        {
            return null;
        }

        if (n.AsSpan().SequenceEqual(target))
        {
            return static i => i;
        }

        if (narrow._data.Length == 1)
        {
            return static _ => 0;
        }

        // Per target axis: its length, and narrow's stride along it (0 where narrow repeats).
        int rank = target.Length;
        var strides = new int[rank];
        for (int k = 1, stride = 1; k <= rank; k++)
        {
            int dimension = k <= n.Length ? n[^k] : 1;
            if (dimension != target[^k] && dimension != 1)
            {
                return null;
            }

            strides[^k] = dimension == 1 ? 0 : stride;
            stride *= dimension;
        }

        int[] lengths = (int[])target.Clone();
        return i =>
        {
            int at = 0;
            for (int axis = rank - 1; axis >= 0; axis--)
            {
                at += i % lengths[axis] * strides[axis];
                i /= lengths[axis];
            }

            return at;
        };
    }

    private static int Product(int[] shape)
    {
        int product = 1;
        foreach (int d in shape)
        {
            product *= d;
        }

        return product;
    }

    private static Tensor NotNull(Tensor value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        return value;
    }
}
