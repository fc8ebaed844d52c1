using System;

namespace Dsl.EndToEnd.Tests.OpenCl;

/// <summary>
/// How far two float arrays are apart: the largest absolute difference, and the largest
/// difference relative to the larger magnitude of the two values, where a value below 1% of the
/// array's largest magnitude is measured against that 1%.
/// </summary>
/// <remarks>
/// The floor is there because a value that is small by cancellation (a logit near 0, a gradient
/// that sums to almost nothing) carries the rounding error of the large terms it came from, so
/// its own relative error says nothing about the computation; measured against 1% of the array's
/// scale it still reveals any real mistake, which is of the order of the values themselves.
/// </remarks>
public readonly record struct Difference(double MaxAbsolute, double MaxRelative)
{
    public static Difference Of(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
            throw new ArgumentException($"Lengths differ: {expected.Length} and {actual.Length}.");
        double scale = 0;
        foreach (float value in expected)
            scale = Math.Max(scale, Math.Abs(value));
        double floor = Math.Max(scale * 1e-2, 1e-12);
        double absolute = 0, relative = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs((double)expected[i] - actual[i]);
            if (double.IsNaN(d))
                return new Difference(double.NaN, double.NaN);
            absolute = Math.Max(absolute, d);
            relative = Math.Max(relative, d / Math.Max(floor, Math.Max(Math.Abs(expected[i]), Math.Abs(actual[i]))));
        }
        return new Difference(absolute, relative);
    }

    public static Difference Of(float expected, float actual) => Of(new[] { expected }, new[] { actual });

    /// <summary>The larger of each figure.</summary>
    public Difference Max(Difference other) => new(Math.Max(MaxAbsolute, other.MaxAbsolute), Math.Max(MaxRelative, other.MaxRelative));

    public override string ToString() => $"max abs {MaxAbsolute:E2}, max rel {MaxRelative:E2}";
}
