using System;
using System.Globalization;

namespace Dsl;

/// <summary>
/// The class index of one example, the target of <see cref="Ops.CrossEntropy(Tensor, Label)"/>
/// and <see cref="Ops.Accuracy(Tensor, Label)"/>. An <see cref="int"/> converts implicitly.
/// </summary>
/// <remarks>
/// A separate type (rather than <see cref="int"/>) lets the generator tell class labels from
/// sizes and other integers, and gives the trainer an integer column in the batch.
/// </remarks>
public readonly struct Label : IEquatable<Label>
{
    /// <summary>Creates a label for class <paramref name="index"/>.</summary>
    /// <param name="index">The zero-based class index.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public Label(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Index = index;
    }

    /// <summary>The zero-based class index.</summary>
    public int Index { get; }

    /// <summary>Converts a class index to a label, so <c>CrossEntropy(logits, 3)</c> compiles.</summary>
    /// <param name="index">The zero-based class index.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static implicit operator Label(int index) => new(index);

    /// <summary>Whether two labels name the same class.</summary>
    /// <param name="left">The first label.</param>
    /// <param name="right">The second label.</param>
    /// <returns><see langword="true"/> when the indices are equal.</returns>
    public static bool operator ==(Label left, Label right) => left.Equals(right);

    /// <summary>Whether two labels name different classes.</summary>
    /// <param name="left">The first label.</param>
    /// <param name="right">The second label.</param>
    /// <returns><see langword="true"/> when the indices differ.</returns>
    public static bool operator !=(Label left, Label right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(Label other) => Index == other.Index;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Label other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Index;

    /// <summary>The label as <c>Label(3)</c>.</summary>
    /// <returns>A readable description.</returns>
    public override string ToString() => $"Label({Index.ToString(CultureInfo.InvariantCulture)})";
}
