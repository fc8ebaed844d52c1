using Dsl;
using static Dsl.Ops;

namespace Digits;

/// <summary>64 pixels -> 128 -> ReLU -> 10 classes, cross-entropy, Adam.</summary>
[Model]
public partial class DigitsClassifier
{
    [Dense(128)] private partial Tensor Hidden(Tensor x);
    [Dense(10)] private partial Tensor Output(Tensor x);

    /// <summary>The logits of the ten digit classes for a batch of 8x8 images (64 counts of 0-16).</summary>
    [Forward]
    public Tensor Forward([Shape(64)] Tensor pixels) => Output(Relu(Hidden(pixels)));

    /// <summary>The batch's cross-entropy against the true digits, logged as <c>train_loss</c>.</summary>
    [TrainingStep]
    public Tensor TrainingStep(Tensor pixels, Label digit)
    {
        var loss = CrossEntropy(Forward(pixels), digit);
        Log("train_loss", loss);
        return loss;
    }

    /// <summary>Logs the validation loss and accuracy (<c>val_loss</c>, <c>val_acc</c>).</summary>
    [ValidationStep]
    public void ValidationStep(Tensor pixels, Label digit)
    {
        var logits = Forward(pixels);
        Log("val_loss", CrossEntropy(logits, digit));
        Log("val_acc", Accuracy(logits, digit));
    }

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
}
