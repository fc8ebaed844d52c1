using System;

namespace Dsl.Training.Progress;

/// <summary>
/// Formats metric values for the progress line: four decimals (<c>0.1234</c>) for ordinary
/// values, three significant digits in scientific form (<c>1.00e-04</c>) for values so small or
/// large that four decimals would hide them or run long (learning rates, exploding losses), whole
/// numbers without decimals (<c>epoch=3</c>), and <c>nan</c>/<c>inf</c> as Python prints them.
/// </summary>
internal static class MetricFormat
{
    /// <summary>Below this magnitude four decimals would show at most one significant digit.</summary>
    private const double SmallLimit = 1e-3;

    /// <summary>From this magnitude on, a value is shown in scientific form to keep the line short.</summary>
    private const double LargeLimit = 1e5;

    /// <summary>Appends <paramref name="value"/> in the form described on the class.</summary>
    public static void AppendValue(LineBuffer line, double value)
    {
        if (double.IsNaN(value))
        {
            line.Append("nan");
            return;
        }

        if (double.IsInfinity(value))
        {
            line.Append(value > 0 ? "inf" : "-inf");
            return;
        }

        double magnitude = Math.Abs(value);
        if (value == Math.Floor(value) && magnitude < LargeLimit)
            line.Append((long)value);
        else if (magnitude < SmallLimit || magnitude >= LargeLimit)
            line.Append(value, "0.00e+00");
        else
            line.Append(value, "F4");
    }
}
