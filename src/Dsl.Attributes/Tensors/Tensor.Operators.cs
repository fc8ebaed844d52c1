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

    // The one broadcasting rule of this slice: equal shapes, or a scalar against anything.
    // General NumPy broadcasting is left out on purpose: the generator must agree with it
    // exactly, and a narrow rule is easy to check at compile time.
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

        // The operands are named in source order (left, then right) so the user can match the
        // message to the expression, even where English would reverse them ("subtract B from A").
        throw new ArgumentException(
            $"Cannot {verb} {left.ShapeText} {conjunction} {right.ShapeText}: " +
            "shapes must match or one must be a scalar.");
    }

    private static Tensor NotNull(Tensor value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        return value;
    }
}
