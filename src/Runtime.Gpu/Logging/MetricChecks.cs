using System;
using System.Collections.Generic;

namespace Dsl.Logging;

/// <summary>The argument checks every logger makes, so all of them reject the same calls with the same words.</summary>
internal static class MetricChecks
{
    /// <summary>Throws when the metrics or the step cannot be logged.</summary>
    /// <param name="metrics">The metrics of one step.</param>
    /// <param name="step">The global step.</param>
    /// <param name="logger">The logger's name, for messages.</param>
    public static void Validate(IReadOnlyDictionary<string, double> metrics, long step, string logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (step < 0)
            throw new ArgumentOutOfRangeException(nameof(step), step, $"The {logger} logger was given a negative step.");
        foreach (string name in metrics.Keys)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException($"The {logger} logger was given a metric with an empty name at step {step}.", nameof(metrics));
        }
    }

    /// <summary>Throws when a hyperparameter has no name or a null value.</summary>
    /// <param name="hyperparameters">The hyperparameters.</param>
    /// <param name="logger">The logger's name, for messages.</param>
    public static void Validate(IReadOnlyDictionary<string, string> hyperparameters, string logger)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        foreach (KeyValuePair<string, string> pair in hyperparameters)
        {
            if (string.IsNullOrEmpty(pair.Key))
                throw new ArgumentException($"The {logger} logger was given a hyperparameter with an empty name.", nameof(hyperparameters));
            if (pair.Value is null)
                throw new ArgumentException($"The {logger} logger was given hyperparameter '{pair.Key}' with a null value.", nameof(hyperparameters));
        }
    }
}
