using System;
using System.Globalization;
using System.Linq;

namespace Dsl;

/// <summary>
/// The integer ids of one example's sequence: the input of an <see cref="EmbeddingAttribute">[Embedding]</see>
/// and the targets of <see cref="Ops.CrossEntropy(Tensor, Tokens)"/>. Like <see cref="Label"/>, but a
/// sequence: compiled, a <c>Tokens</c> input of length T is a span of B·T ints.
/// </summary>
/// <remarks>Immutable: the ids are copied in. An <see cref="int"/> array converts implicitly.</remarks>
public sealed class Tokens : IEquatable<Tokens>
{
    private readonly int[] _ids;

    /// <summary>Creates a sequence of token ids.</summary>
    /// <param name="ids">The ids, each at least 0; copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is negative (the message names its position).</exception>
    public Tokens(params int[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        for (int t = 0; t < ids.Length; t++)
        {
            if (ids[t] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), ids[t], $"Token id {ids[t]} at position {t} is negative; ids start at 0.");
            }
        }

        _ids = (int[])ids.Clone();
    }

    /// <summary>The number of positions, T.</summary>
    public int Length => _ids.Length;

    /// <summary>The id at position <paramref name="position"/>.</summary>
    /// <param name="position">A position in <c>0 .. Length - 1</c>.</param>
    public int this[int position] => _ids[position];

    /// <summary>The ids, in order.</summary>
    public ReadOnlySpan<int> Ids => _ids;

    /// <summary>Converts an array of ids, so <c>Forward(new[] { 1, 2, 3 })</c> compiles.</summary>
    /// <param name="ids">The ids, each at least 0.</param>
    public static implicit operator Tokens(int[] ids) => new(ids);

    /// <inheritdoc/>
    public bool Equals(Tokens? other) => other is not null && _ids.AsSpan().SequenceEqual(other._ids);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Tokens other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int id in _ids)
        {
            hash.Add(id);
        }

        return hash.ToHashCode();
    }

    /// <summary>The ids as <c>Tokens[3](5, 0, 7)</c>.</summary>
    /// <returns>A readable description.</returns>
    public override string ToString() =>
        $"Tokens[{_ids.Length.ToString(CultureInfo.InvariantCulture)}](" +
        string.Join(", ", _ids.Take(20).Select(i => i.ToString(CultureInfo.InvariantCulture))) + (_ids.Length > 20 ? ", ..." : "") + ")";
}
