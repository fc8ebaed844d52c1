using System;
using System.Collections.Generic;

namespace Dsl.Training.Progress;

/// <summary>
/// Composes progress lines in the layout of tqdm and Lightning's TQDMProgressBar.
/// Interactive: <c>Epoch 3/20:  45%|█████▌      | 27/60 [00:01&lt;00:02, 18.52it/s, loss=0.1234]</c>.
/// Plain (logs): <c>Epoch 3/20: 60/60 [00:03, 18.52it/s] loss=0.1234</c>.
/// With an unknown total the bar, percentage and time left are left out and the count reads <c>27it</c>.
/// </summary>
internal static class ProgressLine
{
    /// <summary>A bar narrower than this says too little to be worth its space; it is dropped instead.</summary>
    public const int MinBarWidth = 10;

    /// <summary>Wider bars say no more, and keep the metrics far from the description on wide terminals.</summary>
    public const int MaxBarWidth = 40;

    /// <summary>Full block, then the eighth blocks from one eighth to seven eighths.</summary>
    private const string Blocks = "█▏▎▍▌▋▊▉";

    /// <summary>
    /// Composes the interactive line into <paramref name="line"/>, at most
    /// <paramref name="maxWidth"/> characters long; <paramref name="scratch"/> holds the right-hand
    /// part while the bar is sized to what is left.
    /// </summary>
    public static void ComposeInteractive(
        LineBuffer line, LineBuffer scratch, in ProgressSnapshot snapshot, int maxWidth, bool unicode)
    {
        line.Clear();
        AppendDescription(line, snapshot.Description);
        if (snapshot.Total is not int total)
        {
            line.Append(snapshot.Completed);
            line.Append("it [");
            Durations.AppendInterval(line, snapshot.Elapsed);
            line.Append(", ");
            Durations.AppendRate(line, snapshot.Completed, snapshot.Elapsed);
            AppendMetrics(line, snapshot, ", ");
            line.Append(']');
            line.Truncate(maxWidth);
            return;
        }

        double fraction = total > 0 ? Math.Clamp((double)snapshot.Completed / total, 0, 1) : 1;
        // Floored so that 100% only shows when the stage is really complete.
        int percent = (int)Math.Floor(fraction * 100);
        line.Append(' ', percent < 10 ? 2 : percent < 100 ? 1 : 0); // right-aligned in three columns, as "{:3.0f}%"
        line.Append(percent);
        line.Append('%');

        scratch.Clear();
        scratch.Append(' ');
        AppendCount(scratch, snapshot.Completed, total);
        scratch.Append(" [");
        Durations.AppendInterval(scratch, snapshot.Elapsed);
        scratch.Append('<');
        Durations.AppendRemaining(scratch, snapshot.Completed, total, snapshot.Elapsed);
        scratch.Append(", ");
        Durations.AppendRate(scratch, snapshot.Completed, snapshot.Elapsed);
        AppendMetrics(scratch, snapshot, ", ");
        scratch.Append(']');

        int barWidth = Math.Min(MaxBarWidth, maxWidth - line.Length - scratch.Length - 2);
        if (barWidth >= MinBarWidth)
        {
            line.Append('|');
            AppendBar(line, fraction, barWidth, unicode);
            line.Append('|');
        }

        line.Append(scratch.Span);
        line.Truncate(maxWidth);
    }

    /// <summary>
    /// Composes the plain line for logs. <paramref name="withRemaining"/> adds the time left,
    /// which intermediate lines show and the stage's final line does not.
    /// </summary>
    public static void ComposePlain(LineBuffer line, in ProgressSnapshot snapshot, bool withRemaining)
    {
        line.Clear();
        AppendDescription(line, snapshot.Description);
        if (snapshot.Total is int total)
            AppendCount(line, snapshot.Completed, total);
        else
        {
            line.Append(snapshot.Completed);
            line.Append("it");
        }

        line.Append(" [");
        Durations.AppendInterval(line, snapshot.Elapsed);
        if (withRemaining && snapshot.Total is int known)
        {
            line.Append('<');
            Durations.AppendRemaining(line, snapshot.Completed, known, snapshot.Elapsed);
        }

        line.Append(", ");
        Durations.AppendRate(line, snapshot.Completed, snapshot.Elapsed);
        line.Append(']');
        AppendMetrics(line, snapshot, " ");
    }

    /// <summary>
    /// Appends a bar <paramref name="width"/> characters wide: full blocks plus one eighth-block
    /// for the remainder in Unicode, whole <c>#</c> cells in ASCII; the rest is spaces.
    /// </summary>
    public static void AppendBar(LineBuffer line, double fraction, int width, bool unicode)
    {
        int drawn;
        if (unicode)
        {
            int eighths = (int)(fraction * width * 8);
            drawn = eighths / 8;
            line.Append(Blocks[0], drawn);
            if (eighths % 8 != 0)
            {
                line.Append(Blocks[eighths % 8]);
                drawn++;
            }
        }
        else
        {
            drawn = (int)(fraction * width);
            line.Append('#', drawn);
        }

        line.Append(' ', width - drawn);
    }

    private static void AppendDescription(LineBuffer line, string description)
    {
        if (description.Length == 0)
            return;
        line.Append(description);
        line.Append(": ");
    }

    private static void AppendCount(LineBuffer line, int completed, int total)
    {
        line.Append(completed);
        line.Append('/');
        line.Append(total);
    }

    private static void AppendMetrics(LineBuffer line, in ProgressSnapshot snapshot, string separator)
    {
        // Indexed rather than foreach: enumerating an IReadOnlyList through the interface boxes its enumerator.
        for (int i = 0; i < snapshot.Metrics.Count; i++)
        {
            KeyValuePair<string, double> metric = snapshot.Metrics[i];
            line.Append(separator);
            line.Append(metric.Key);
            line.Append('=');
            MetricFormat.AppendValue(line, metric.Value);
        }
    }
}
