using System;
using System.IO;
using Microsoft.Extensions.Configuration;

namespace DigitsWeb;

/// <summary>
/// Where the model comes from and goes, and how corrections train: the command-line options
/// <c>--checkpoint</c>, <c>--save-to</c>, <c>--data</c>, <c>--predictors</c> and
/// <c>--steps-per-correction</c> (read through configuration, so appsettings may set them too).
/// </summary>
/// <param name="CheckpointPath">The safetensors file loaded at start.</param>
/// <param name="SavePath">Where <c>/save</c> writes (by default the checkpoint itself, so a restart keeps what was learned).</param>
/// <param name="DataPath">The digits CSV the replay examples come from.</param>
/// <param name="Predictors">The most predict programs kept (and so predictions run at once).</param>
/// <param name="StepsPerCorrection">Adam steps per correction.</param>
public sealed record DigitsWebOptions(string CheckpointPath, string SavePath, string DataPath, int Predictors, int StepsPerCorrection)
{
    /// <summary>The checkpoint shipped with the app (<c>model/README.md</c> says how it was made).</summary>
    public static string DefaultCheckpoint => Path.Combine(AppContext.BaseDirectory, "model", "digits.safetensors");

    /// <summary>Reads the options from configuration, with the shipped checkpoint and data as defaults.</summary>
    /// <param name="configuration">The app's configuration (command line included).</param>
    /// <returns>The options, paths made absolute.</returns>
    /// <exception cref="ArgumentException">A count is not a positive integer.</exception>
    public static DigitsWebOptions From(IConfiguration configuration)
    {
        string checkpoint = Path.GetFullPath(configuration["checkpoint"] ?? DefaultCheckpoint);
        string save = Path.GetFullPath(configuration["save-to"] ?? checkpoint);
        string data = Path.GetFullPath(configuration["data"] ?? Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
        return new DigitsWebOptions(
            checkpoint, save, data,
            Positive(configuration, "predictors", Math.Max(2, Environment.ProcessorCount)),
            Positive(configuration, "steps-per-correction", 5));
    }

    private static int Positive(IConfiguration configuration, string key, int fallback)
    {
        string? text = configuration[key];
        if (text is null)
            return fallback;
        if (!int.TryParse(text, out int value) || value < 1)
            throw new ArgumentException($"'{key}' must be a positive integer (was '{text}').");
        return value;
    }
}
