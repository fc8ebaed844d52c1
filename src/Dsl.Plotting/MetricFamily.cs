using System;

namespace Dsl.Plotting;

/// <summary>The panels of <see cref="PlotLogger"/>'s picture, in the order they are drawn, top to bottom.</summary>
internal enum MetricFamily
{
    /// <summary>Names holding <c>loss</c>: <c>train_loss</c>, <c>val_loss</c>, <c>train_loss_epoch</c>.</summary>
    Loss,

    /// <summary>Names holding <c>acc</c>: <c>val_acc</c>, <c>train_accuracy</c>.</summary>
    Accuracy,

    /// <summary>Learning rates: names that are or start with <c>lr</c> (<c>lr-AdamW</c>, as <see cref="LearningRateMonitor"/> logs) or hold <c>learning_rate</c>.</summary>
    LearningRate,

    /// <summary>Everything else, together in one last panel.</summary>
    Other,
}

/// <summary>Sorts metric names into <see cref="MetricFamily"/> panels.</summary>
internal static class MetricFamilies
{
    /// <summary>The family of a metric, by its name, ignoring case.</summary>
    /// <param name="name">The metric's name.</param>
    /// <returns>The panel the metric is drawn in.</returns>
    public static MetricFamily Of(string name)
    {
        string lower = name.ToLowerInvariant();
        if (lower.Contains("loss", StringComparison.Ordinal))
            return MetricFamily.Loss;
        if (lower.Contains("acc", StringComparison.Ordinal))
            return MetricFamily.Accuracy;
        // "lr" only as a whole word at the start, so "lr-AdamW" and "lr_head" count but "curl" does not.
        if (lower == "lr" || lower.StartsWith("lr-", StringComparison.Ordinal) || lower.StartsWith("lr_", StringComparison.Ordinal)
            || lower.Contains("learning_rate", StringComparison.Ordinal) || lower.Contains("learning rate", StringComparison.Ordinal))
            return MetricFamily.LearningRate;
        return MetricFamily.Other;
    }

    /// <summary>The panel's title.</summary>
    /// <param name="family">The family.</param>
    /// <returns>Text for the panel's title.</returns>
    public static string Title(MetricFamily family) => family switch
    {
        MetricFamily.Loss => "Loss",
        MetricFamily.Accuracy => "Accuracy",
        MetricFamily.LearningRate => "Learning rate",
        _ => "Other metrics",
    };
}
