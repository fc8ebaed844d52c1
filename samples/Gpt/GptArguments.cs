using System;
using System.Globalization;

namespace Gpt;

/// <summary>The command line of the sample, parsed; every bad value is an error naming the option and the value.</summary>
internal sealed record GptArguments
{
    /// <summary>The usage line printed with every error.</summary>
    public const string Usage =
        "Usage: Gpt [--steps N] [--minutes M] [--batch B] [--lr RATE] [--device cpu|opencl|cuda] [--seed S] [--val-every K] [--val-batches V] " +
        "[--checkpoint-dir DIR] [--resume CHECKPOINT] [--prompt TEXT] [--temperature T] [--top-k K] [--generate N]";

    /// <summary>Optimizer steps to train for (0: only generate, from <see cref="Resume"/>).</summary>
    public int Steps { get; init; } = 4000;

    /// <summary>Stop training after this many minutes even if steps remain; null for no limit.</summary>
    public double? Minutes { get; init; }

    /// <summary>Windows per training batch.</summary>
    public int Batch { get; init; } = 16;

    /// <summary>The AdamW learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary><c>cpu</c>, <c>opencl</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Seeds the parameters, the window order, dropout and the sampling.</summary>
    public int Seed { get; init; }

    /// <summary>Validate (and checkpoint) every this many steps.</summary>
    public int ValidateEvery { get; init; } = 250;

    /// <summary>Validation batches per validation; 0 for the whole held-out text.</summary>
    public int ValidationBatches { get; init; }

    /// <summary>Where checkpoints and the metrics CSV go.</summary>
    public string CheckpointDirectory { get; init; } = "gpt-output/checkpoints";

    /// <summary>A checkpoint to continue training from (or, with <c>--steps 0</c>, to generate from).</summary>
    public string? Resume { get; init; }

    /// <summary>The text generation starts from.</summary>
    public string Prompt { get; init; } = "And God said, ";

    /// <summary>The sampling temperature; 0 is greedy.</summary>
    public float Temperature { get; init; } = 0.8f;

    /// <summary>Candidates per draw; 0 for all 256.</summary>
    public int TopK { get; init; } = 40;

    /// <summary>Bytes to generate after training; 0 for none.</summary>
    public int Generate { get; init; } = 400;

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The arguments.</returns>
    /// <exception cref="ArgumentException">An unknown option or a bad value, named in the message.</exception>
    public static GptArguments Parse(string[] args)
    {
        var parsed = new GptArguments();
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{option} needs a value.");
            parsed = option switch
            {
                "--steps" => parsed with { Steps = Int(option, Value(), min: 0) },
                "--minutes" => parsed with { Minutes = Positive(option, Value()) },
                "--batch" => parsed with { Batch = Int(option, Value(), min: 1) },
                "--lr" => parsed with { LearningRate = (float)Positive(option, Value()) },
                "--device" => parsed with { Device = Value() is var d && Dsl.Samples.SampleDevice.IsName(d) ? d : throw Bad(option, args[i], "cpu, opencl or cuda") },
                "--seed" => parsed with { Seed = Int(option, Value(), min: int.MinValue) },
                "--val-every" => parsed with { ValidateEvery = Int(option, Value(), min: 1) },
                "--val-batches" => parsed with { ValidationBatches = Int(option, Value(), min: 0) },
                "--checkpoint-dir" => parsed with { CheckpointDirectory = Value() },
                "--resume" => parsed with { Resume = Value() },
                "--prompt" => parsed with { Prompt = Value() is { Length: > 0 } p ? p : throw Bad(option, "", "a non-empty text") },
                "--temperature" => parsed with { Temperature = (float)NonNegative(option, Value()) },
                "--top-k" => parsed with { TopK = Int(option, Value(), min: 0, max: 256) },
                "--generate" => parsed with { Generate = Int(option, Value(), min: 0) },
                _ => throw new ArgumentException($"Unknown option '{option}'."),
            };
        }

        if (parsed.Steps == 0 && parsed.Resume is null)
            throw new ArgumentException("--steps 0 only generates, so it needs --resume CHECKPOINT to generate from.");
        return parsed;
    }

    private static int Int(string option, string text, int min, int max = int.MaxValue) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw Bad(option, text, max == int.MaxValue ? $"an integer of at least {min}" : $"an integer from {min} to {max}");

    private static double Positive(string option, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x > 0 && double.IsFinite(x)
            ? x
            : throw Bad(option, text, "a positive number");

    private static double NonNegative(string option, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x >= 0 && double.IsFinite(x)
            ? x
            : throw Bad(option, text, "a number of at least 0");

    private static ArgumentException Bad(string option, string text, string expected) =>
        new($"{option} '{text}' is not valid: expected {expected}.");
}
