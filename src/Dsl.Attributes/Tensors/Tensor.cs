using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Dsl;

/// <summary>
/// An eager, per-example tensor of <see cref="double"/> values in row-major order: the reference
/// implementation that model code runs on when called as plain C#.
/// </summary>
/// <remarks>
/// <para>
/// A tensor describes ONE example; the generator adds the batch dimension when it compiles a model.
/// This type is deliberately naive: every operation allocates a new tensor and computes in double
/// precision, so that a model's <c>Forward</c> can be stepped through in a debugger and used as
/// the oracle the compiled float32 code is tested against.
/// </para>
/// <para>
/// A tensor of shape <c>[]</c> (rank 0) is a scalar with one element; it broadcasts against any
/// shape in the arithmetic operators. Tensors are treated as immutable values: no public member
/// writes to the data.
/// </para>
/// </remarks>
public sealed partial class Tensor
{
    // Long tensors are cut short in ToString so the debugger's display stays readable.
    private const int MaxValuesShown = 20;

    private readonly double[] _data;
    private readonly int[] _shape;
    private readonly ReadOnlyCollection<int> _shapeView;

    /// <summary>
    /// Creates a tensor over <paramref name="data"/> with the given shape (row-major).
    /// </summary>
    /// <param name="data">
    /// The values, row-major. The array is stored as given, not copied: do not modify it afterwards,
    /// since tensors are treated as immutable.
    /// </param>
    /// <param name="shape">The size of each axis, outermost first; none means a scalar (one value).</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> or <paramref name="shape"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// A dimension is negative, or the product of the dimensions differs from <c>data.Length</c>.
    /// </exception>
    /// <example><c>new Tensor(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0 }, 2, 3)</c> is a 2x3 matrix.</example>
    public Tensor(double[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);

        // The shape is copied (it is tiny) so a caller reusing its params array cannot reshape us.
        int[] ownShape = (int[])shape.Clone();
        long count = ElementCount(ownShape, nameof(shape));
        if (count != data.Length)
        {
            throw new ArgumentException(
                $"Tensor data has {data.Length} values but shape {FormatShape(ownShape)} needs {count}.",
                nameof(data));
        }

        _data = data;
        _shape = ownShape;
        _shapeView = Array.AsReadOnly(_shape);
    }

    // Used by the operations, which build data and shape themselves and have nothing to validate.
    private Tensor(int[] shape, double[] data)
    {
        _data = data;
        _shape = shape;
        _shapeView = Array.AsReadOnly(_shape);
    }

    /// <summary>The size of each axis, outermost first; empty for a scalar.</summary>
    public IReadOnlyList<int> Shape => _shapeView;

    /// <summary>The number of axes: 0 for a scalar, 1 for a vector, 2 for a matrix.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements: the product of the dimensions (1 for a scalar).</summary>
    public int Length => _data.Length;

    /// <summary>The values in row-major order.</summary>
    public ReadOnlySpan<double> Data => _data;

    // The indexer's metadata name would default to "Item", which Item() already takes (PyTorch's
    // name for the value of a one-element tensor); C# callers still write x[i].

    /// <summary>The element at a flat, row-major <paramref name="index"/>.</summary>
    /// <param name="index">A position in <c>0 .. Length - 1</c>.</param>
    /// <exception cref="IndexOutOfRangeException"><paramref name="index"/> is outside the data.</exception>
    [IndexerName("Element")]
    public double this[int index] => _data[index];

    /// <summary>Creates a scalar (shape <c>[]</c>) holding <paramref name="value"/>.</summary>
    /// <param name="value">The single value.</param>
    /// <returns>A rank-0 tensor.</returns>
    public static Tensor Scalar(double value) => new(Array.Empty<int>(), new[] { value });

    /// <summary>Creates a tensor from single-precision values, widened to double (copied).</summary>
    /// <param name="data">The values, row-major.</param>
    /// <param name="shape">The size of each axis; none means a scalar.</param>
    /// <returns>A new tensor owning a copy of the values.</returns>
    /// <exception cref="ArgumentException">The shape does not match the number of values.</exception>
    public static Tensor FromFloats(ReadOnlySpan<float> data, params int[] shape)
    {
        var values = new double[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            values[i] = data[i];
        }

        return new Tensor(values, shape);
    }

    /// <summary>Creates a tensor of the given shape filled with zeros.</summary>
    /// <param name="shape">The size of each axis; none means a scalar.</param>
    /// <returns>A new zero tensor.</returns>
    /// <exception cref="ArgumentException">A dimension is negative.</exception>
    public static Tensor Zeros(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = ElementCount(shape, nameof(shape));
        return new Tensor(new double[count], shape);
    }

    /// <summary>The value of a one-element tensor (a scalar, or any shape with one element).</summary>
    /// <returns>The single value.</returns>
    /// <exception cref="InvalidOperationException">The tensor does not have exactly one element.</exception>
    public double Item()
    {
        if (_data.Length != 1)
        {
            throw new InvalidOperationException(
                $"Item() needs a tensor with exactly one element, but this is {FormatShape(_shape)} " +
                $"with {_data.Length} elements.");
        }

        return _data[0];
    }

    /// <summary>The values narrowed to single precision, row-major (a new array).</summary>
    /// <returns>A copy of the data as <see cref="float"/>s.</returns>
    public float[] ToFloats()
    {
        var values = new float[_data.Length];
        for (int i = 0; i < _data.Length; i++)
        {
            values[i] = (float)_data[i];
        }

        return values;
    }

    /// <summary>
    /// The shape and the row-major values in invariant culture, e.g. <c>Tensor[3] (0.1, 0.2, 0.3)</c>;
    /// after 20 values the rest are summarised as <c>... (n more)</c>.
    /// </summary>
    /// <returns>A readable description for logs and the debugger.</returns>
    public override string ToString()
    {
        var text = new StringBuilder(FormatShape(_shape)).Append(" (");
        int shown = Math.Min(_data.Length, MaxValuesShown);
        for (int i = 0; i < shown; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            // Invariant culture: a decimal comma or U+2212 minus would make logs ambiguous.
            text.Append(_data[i].ToString(CultureInfo.InvariantCulture));
        }

        if (shown < _data.Length)
        {
            text.Append(CultureInfo.InvariantCulture, $", ... ({_data.Length - shown} more)");
        }

        return text.Append(')').ToString();
    }

    /// <summary>Wraps data the caller has just built for this shape, without copying or checking.</summary>
    internal static Tensor Create(int[] shape, double[] data) => new(shape, data);

    /// <summary>The shape array itself, for operations that only read it.</summary>
    internal int[] ShapeArray => _shape;

    /// <summary>The data array itself, for operations that only read it.</summary>
    internal double[] DataArray => _data;

    /// <summary>This tensor's shape as error messages write it, e.g. <c>Tensor[16, 10]</c>.</summary>
    internal string ShapeText => FormatShape(_shape);

    /// <summary>Applies <paramref name="function"/> to every element, keeping the shape.</summary>
    internal Tensor Map(Func<double, double> function)
    {
        var result = new double[_data.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = function(_data[i]);
        }

        return new Tensor(_shape, result);
    }

    /// <summary>Formats a shape the way error messages name tensors: <c>Tensor[2, 3]</c>, <c>Tensor[]</c>.</summary>
    internal static string FormatShape(int[] shape) =>
        "Tensor[" + string.Join(", ", Array.ConvertAll(shape, d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    // The product of the dimensions, checked: negative sizes and overflow are caller errors.
    private static long ElementCount(int[] shape, string parameterName)
    {
        long count = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException(
                    $"Shape {FormatShape(shape)} has a negative dimension.", parameterName);
            }

            count *= dimension;
            if (count > Array.MaxLength)
            {
                throw new ArgumentException(
                    $"Shape {FormatShape(shape)} has more elements than an array can hold.", parameterName);
            }
        }

        return count;
    }
}
