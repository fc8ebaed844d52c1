using System;
using System.Runtime.CompilerServices;

namespace Dsl;

public sealed partial class Tensor
{
    /// <summary>Element-wise sum. Shapes must match, or one side must be a scalar (shape <c>[]</c>), which broadcasts.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    /// <returns>A tensor of the non-scalar operand's shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ and neither is a scalar.</exception>
    public static Tensor operator +(Tensor left, Tensor right) =>
        Broadcast(left, right, static (a, b) => a + b, "add", "and");

    /// <summary>Element-wise difference. Shapes must match, or one side must be a scalar, which broadcasts.</summary>
    /// <param name="left">The minuend.</param>
    /// <param name="right">The subtrahend.</param>
    /// <returns>A tensor of the non-scalar operand's shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ and neither is a scalar.</exception>
    public static Tensor operator -(Tensor left, Tensor right) =>
        Broadcast(left, right, static (a, b) => a - b, "subtract", "and");

    /// <summary>Element-wise (Hadamard) product. Shapes must match, or one side must be a scalar, which broadcasts.</summary>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor.</param>
    /// <returns>A tensor of the non-scalar operand's shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ and neither is a scalar.</exception>
    public static Tensor operator *(Tensor left, Tensor right) =>
        Broadcast(left, right, static (a, b) => a * b, "multiply", "by");

    /// <summary>Element-wise quotient (IEEE: division by zero gives ±∞ or NaN). Shapes must match, or one side must be a scalar.</summary>
    /// <param name="left">The dividend.</param>
    /// <param name="right">The divisor.</param>
    /// <returns>A tensor of the non-scalar operand's shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ and neither is a scalar.</exception>
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

    // The broadcasting rules of the DSL, exactly those the generator compiles: equal shapes, a
    // scalar against anything, a last axis of 1 against n with the other axes equal (a keepdim
    // reduction: x - Mean(x, -1, true)), and a shape that ends the other's, repeated over the
    // other's leading axes (a [T, T] mask against [H, T, T]). General NumPy broadcasting is left
    // out on purpose: the generator must agree with it exactly, and narrow rules are easy to check
    // at compile time.
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

        if (left.Rank == 0)
        {
            double a = left._data[0];
            return right.Map(b => op(a, b));
        }

        if (right.Rank == 0)
        {
            double b = right._data[0];
            return left.Map(a => op(a, b));
        }

        if (BroadcastIndex(left, right) is { } leftIndex)
        {
            var result = new double[right._data.Length];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = op(left._data[leftIndex(i)], right._data[i]);
            }

            return new Tensor(right._shape, result);
        }

        if (BroadcastIndex(right, left) is { } rightIndex)
        {
            var result = new double[left._data.Length];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = op(left._data[i], right._data[rightIndex(i)]);
            }

            return new Tensor(left._shape, result);
        }

        // The operands are named in source order (left, then right) so the user can match the
        // message to the expression, even where English would reverse them ("subtract B from A").
        throw new ArgumentException(
            $"Cannot {verb} {left.ShapeText} {conjunction} {right.ShapeText}: " +
            "shapes must match or one must be a scalar (or have a last axis of 1, or end the other's shape).");
    }

    /// <summary>
    /// Where element i of <paramref name="wide"/> finds its partner in <paramref name="narrow"/>
    /// when narrow broadcasts to wide's shape by the DSL's rules (a last axis of 1, or a trailing
    /// shape); null when it does not.
    /// </summary>
    internal static Func<int, int>? BroadcastIndex(Tensor narrow, Tensor wide)
    {
        int[] n = narrow._shape, w = wide._shape;
        if (n.Length == 0)
        {
            return static _ => 0;
        }

        if (n.AsSpan().SequenceEqual(w))
        {
            return static i => i;
        }

        if (n.Length == w.Length && n[^1] == 1 && n.AsSpan(0, n.Length - 1).SequenceEqual(w.AsSpan(0, w.Length - 1)))
        {
            int last = w[^1];
            return i => i / last;
        }

        if (n.Length < w.Length && n.AsSpan().SequenceEqual(w.AsSpan(w.Length - n.Length)))
        {
            int size = narrow._data.Length;
            return i => i % size;
        }

        return null;
    }

    private static Tensor NotNull(Tensor value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        return value;
    }
}
