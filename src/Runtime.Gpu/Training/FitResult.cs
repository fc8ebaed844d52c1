using System;

namespace Dsl;

/// <summary>What <see cref="Trainer.Fit"/> did: how far it went, why it stopped, and the last metrics.</summary>
/// <param name="Epochs">Epochs completed, counting those before a resumed checkpoint.</param>
/// <param name="GlobalStep">Optimizer steps taken, counting those before a resumed checkpoint.</param>
/// <param name="StopReason">Why the loop ended.</param>
/// <param name="Metrics">The callback metrics at the end: the last epoch's training and validation values.</param>
/// <param name="Elapsed">Wall time of this call.</param>
/// <param name="BestCheckpoint">The best checkpoint of the first <see cref="ModelCheckpoint"/> callback, if any.</param>
public sealed record FitResult(int Epochs, long GlobalStep, StopReason StopReason, MetricValues Metrics, TimeSpan Elapsed, string? BestCheckpoint);
