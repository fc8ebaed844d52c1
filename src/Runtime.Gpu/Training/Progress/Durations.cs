using System;

namespace Dsl.Training.Progress;

/// <summary>
/// Formats times and rates as tqdm does: intervals as <c>mm:ss</c> or <c>h:mm:ss</c> (whole
/// seconds, truncated), rates as <c>18.52it/s</c>, or <c>2.50s/it</c> below one step a second.
/// </summary>
internal static class Durations
{
    /// <summary>Appends <paramref name="interval"/> as <c>mm:ss</c>, or <c>h:mm:ss</c> from one hour on.</summary>
    public static void AppendInterval(LineBuffer line, TimeSpan interval)
    {
        long seconds = Math.Max(0, interval.Ticks / TimeSpan.TicksPerSecond);
        long hours = seconds / 3600;
        long minutes = seconds / 60 % 60;
        if (hours > 0)
        {
            line.Append(hours);
            line.Append(':');
        }

        line.Append(minutes, "D2");
        line.Append(':');
        line.Append(seconds % 60, "D2");
    }

    /// <summary>Appends the mean rate over the stage, or <c>?it/s</c> before it is known.</summary>
    public static void AppendRate(LineBuffer line, int completed, TimeSpan elapsed)
    {
        if (completed <= 0 || elapsed <= TimeSpan.Zero)
        {
            line.Append("?it/s");
            return;
        }

        double perSecond = completed / elapsed.TotalSeconds;
        if (perSecond >= 1)
        {
            line.Append(perSecond, "F2");
            line.Append("it/s");
        }
        else
        {
            line.Append(1 / perSecond, "F2");
            line.Append("s/it");
        }
    }

    /// <summary>
    /// Appends the time left at the stage's mean rate, or <c>?</c> before any step is done.
    /// Computed in integer ticks so that a whole number of seconds is never shown one short.
    /// </summary>
    public static void AppendRemaining(LineBuffer line, int completed, int total, TimeSpan elapsed)
    {
        if (completed >= total)
        {
            AppendInterval(line, TimeSpan.Zero);
            return;
        }

        if (completed <= 0 || elapsed <= TimeSpan.Zero)
        {
            line.Append('?');
            return;
        }

        Int128 ticks = (Int128)elapsed.Ticks * (total - completed) / completed;
        AppendInterval(line, ticks > TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : new TimeSpan((long)ticks));
    }
}
