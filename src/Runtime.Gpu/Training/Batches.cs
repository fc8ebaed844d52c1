using System;
using System.Globalization;

namespace Dsl;

/// <summary>
/// A number of batches given either as a count or as a fraction of an epoch, as Lightning's
/// <c>limit_train_batches</c> and <c>val_check_interval</c> take an int or a float: an
/// <see cref="int"/> converts to a count, a <see cref="double"/> to a fraction.
/// </summary>
public readonly record struct Batches
{
    private Batches(int count, double fraction)
    {
        Count = count;
        Fraction = fraction;
    }

    /// <summary>All of an epoch's batches.</summary>
    public static Batches All => new(0, 1.0);

    /// <summary>A fixed count (0 or more), or 0 when this is a fraction.</summary>
    public int Count { get; }

    /// <summary>A fraction of the epoch in [0, 1], or 0 when this is a count.</summary>
    public double Fraction { get; }

    /// <summary>A fixed number of batches.</summary>
    /// <param name="count">At least 0.</param>
    public static Batches Of(int count) =>
        count >= 0 ? new(count, 0) : throw new ArgumentOutOfRangeException(nameof(count), count, $"A batch count must be at least 0 (was {count}).");

    /// <summary>A fraction of an epoch's batches.</summary>
    /// <param name="fraction">In (0, 1].</param>
    public static Batches OfEpoch(double fraction) =>
        fraction > 0 && fraction <= 1
            ? new(0, fraction)
            : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"A fraction of an epoch must lie in (0, 1] (was {fraction}).");

    /// <summary>A count: <c>LimitTrainBatches = 10</c>.</summary>
    public static implicit operator Batches(int count) => Of(count);

    /// <summary>A fraction: <c>ValCheckInterval = 0.25</c>.</summary>
    public static implicit operator Batches(double fraction) => OfEpoch(fraction);

    /// <summary>
    /// How many of <paramref name="available"/> batches this means: a count is capped at
    /// <paramref name="available"/>; a fraction is rounded down but is at least 1 batch.
    /// </summary>
    /// <param name="available">The batches in an epoch.</param>
    public int Resolve(int available) =>
        Fraction > 0 ? Math.Min(available, Math.Max(1, (int)(Fraction * available))) : Math.Min(available, Count);

    /// <inheritdoc/>
    public override string ToString() =>
        Fraction > 0 ? Fraction.ToString(CultureInfo.InvariantCulture) + " of an epoch" : Count.ToString(CultureInfo.InvariantCulture) + " batches";
}
