using System;
using System.Diagnostics;
using System.IO;
using Dsl;

namespace Gpt;

/// <summary>
/// After each validation: logs <c>val_bpb</c>, the validation loss in bits per byte (nats / ln 2,
/// the unit character-level language models are compared in), and prints one line with the
/// step, both losses, the time and the training throughput, so a run shows its progress even
/// when its output goes to a file.
/// </summary>
internal sealed class ValidationReport(TextWriter output, int tokensPerStep) : Callback
{
    private readonly Stopwatch _clock = new();
    private long _firstStep;

    /// <inheritdoc/>
    public override void OnFitStart(Trainer trainer, ITrainableModel model)
    {
        trainer.DeclareMetrics("val_bpb");
        _firstStep = trainer.GlobalStep;
        _clock.Restart();
    }

    /// <inheritdoc/>
    public override void OnValidationEnd(Trainer trainer, ITrainableModel model)
    {
        if (!trainer.TryGetMetric("val_loss", out double nats))
            return;
        double bits = nats / Math.Log(2);
        trainer.Log("val_bpb", bits);
        string train = trainer.TryGetMetric("train_loss", out double t) ? $"{t:F4}" : "-";
        double seconds = _clock.Elapsed.TotalSeconds;
        double tokensPerSecond = (trainer.GlobalStep - _firstStep) * (double)tokensPerStep / Math.Max(seconds, 1e-9);
        output.WriteLine($"step {trainer.GlobalStep,6}  train_loss {train}  val_loss {nats:F4} nats = {bits:F3} bits/byte  ({seconds:F0} s, {tokensPerSecond:N0} train tokens/s)");
    }
}
