using System;

namespace Dsl.EndToEnd.Tests.OpenCl;

/// <summary>
/// How far two float arrays are apart: the largest absolute difference, and the largest
/// difference relative to the larger magnitude of the two values, where values smaller than a
/// thousandth of the array's largest magnitude count as that thousandth (so an element that is
/// zero on one side and 1e-9 on the other does not read as a 100% error).
/// </summary>
public readonly record struct Difference(double MaxAbsolute, double MaxRelative)
{
    public static Difference Of(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
            throw new ArgumentException($"Lengths differ: {expected.Length} and {actual.Length}.");
        double scale = 0;
        foreach (float value in expected)
            scale = Math.Max(scale, Math.Abs(value));
        double floor = Math.Max(scale * 1e-3, 1e-12);
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
