using System;

namespace Dsl;

/// <summary>One input of an example: a name, an element type and a per-example shape.</summary>
/// <param name="Name">The column's name (<c>x</c>, <c>y</c>, <c>tokens</c>), matched against step inputs.</param>
/// <param name="Type">The element type.</param>
/// <param name="ExampleShape">The shape of one example's value, outermost first; empty for a scalar.</param>
/// <remarks>
/// Equality compares <see cref="ExampleShape"/> element by element (the compiler's record equality
/// would compare the array references), so two columns that describe the same data are equal.
/// The shape array is copied on the way in, so later writes to the caller's array change nothing.
/// </remarks>
public sealed record ColumnInfo(string Name, ColumnType Type, int[] ExampleShape)
{
    private readonly string _name = CheckName(Name);
    private readonly int[] _exampleShape = CheckShape(ExampleShape);

    /// <summary>The column's name; never empty.</summary>
    public string Name
    {
        get => _name;
        init => _name = CheckName(value);
    }

    /// <summary>The shape of one example's value; empty for a scalar. Every dimension is at least 1.</summary>
    public int[] ExampleShape
    {
        get => _exampleShape;
        init
        {
            _exampleShape = CheckShape(value);
            ExampleSize = Shapes.Size(_exampleShape);
        }
    }

    /// <summary>The number of elements in one example: the product of <see cref="ExampleShape"/> (1 for a scalar).</summary>
    public int ExampleSize { get; private init; } = Shapes.Size(CheckShape(ExampleShape));

    /// <summary>Compares name (ordinally), type and shape (element by element).</summary>
    /// <param name="other">The column to compare with.</param>
    /// <returns><see langword="true"/> when all three agree.</returns>
    public bool Equals(ColumnInfo? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Type == other.Type
        && ExampleShape.AsSpan().SequenceEqual(other.ExampleShape);

    /// <summary>A hash consistent with <see cref="Equals(ColumnInfo?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name, StringComparer.Ordinal);
        hash.Add(Type);
        foreach (int dimension in ExampleShape)
            hash.Add(dimension);
        return hash.ToHashCode();
    }

    /// <summary>Formats the column as in messages: <c>x: Float32 [8, 8]</c>, <c>y: Int32 []</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Name}: {Type} [{string.Join(", ", ExampleShape)}]";

    private static string CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A column name must not be empty.", nameof(Name));
        return name;
    }

    private static int[] CheckShape(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape, nameof(ExampleShape));
        long product = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 1)
                throw new ArgumentException($"Column shape [{string.Join(", ", shape)}] has a dimension below 1; use [] for a scalar.", nameof(ExampleShape));
            product *= dimension;
            if (product > Array.MaxLength)
                throw new ArgumentException($"Column shape [{string.Join(", ", shape)}] holds more than {Array.MaxLength} elements per example.", nameof(ExampleShape));
        }

        return (int[])shape.Clone();
    }
}
