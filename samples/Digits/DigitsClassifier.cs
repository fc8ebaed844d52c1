using Dsl;
using static Dsl.Ops;

namespace Digits;

/// <summary>64 pixels -> 128 -> ReLU -> 10 classes, cross-entropy, Adam.</summary>
[Model]
public partial class DigitsClassifier
{
    [Dense(128)] private partial Tensor Hidden(Tensor x);
    [Dense(10)] private partial Tensor Output(Tensor x);

    [Forward]
    public Tensor Forward([Shape(64)] Tensor pixels) => Output(Relu(Hidden(pixels)));

    [TrainingStep]
    public Tensor TrainingStep(Tensor pixels, Label digit)
    {
        var loss = CrossEntropy(Forward(pixels), digit);
        Log("train_loss", loss);
        return loss;
    }

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
