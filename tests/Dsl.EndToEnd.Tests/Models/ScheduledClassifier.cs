using System.Collections.Generic;
using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// A three-class MLP trained with AdamW under a warm-up cosine schedule, with Lightning-style
/// hooks that record when the Trainer calls them.
/// </summary>
[Model]
public partial class ScheduledClassifier
{
    [Dense(8)] private partial Tensor Hidden(Tensor x);
    [Dense(3)] private partial Tensor Output(Tensor x);

    [Forward]
    public Tensor Forward([Shape(4)] Tensor x) => Output(Tanh(Hidden(x)));

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y)
    {
        var logits = Forward(x);
        var loss = CrossEntropy(logits, y);
        Log("train_loss", loss);
        Log("train_acc", Accuracy(logits, y));
        return loss;
    }

    [ValidationStep]
    public void ValidationStep(Tensor x, Label y)
    {
        var logits = Forward(x);
        Log("val_loss", CrossEntropy(logits, y));
        Log("val_acc", Accuracy(logits, y));
    }

    [Optimizer]
    private static Optimizer Optimizer() =>
        new AdamW(learningRate: 3e-2f, weightDecay: 0.01f) { Schedule = new WarmupCosineSchedule(warmupSteps: 5, totalSteps: 60) };

    /// <summary>The hooks the Trainer called, in order.</summary>
    public List<string> Events { get; } = new();

    public void OnFitStart(Trainer trainer) => Events.Add("fit_start");

    public void OnTrainEpochStart(Trainer trainer) => Events.Add($"epoch_start {trainer.CurrentEpoch}");

    public void OnValidationEpochEnd(Trainer trainer) => Events.Add($"validation_end {trainer.CurrentEpoch}");

    public void OnTrainEpochEnd(Trainer trainer) => Events.Add($"epoch_end {trainer.CurrentEpoch}");

    public void OnFitEnd(Trainer trainer) => Events.Add("fit_end");
}
