using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// Softmax, LogSoftmax, Exp, Log, Sum and Mean, a helper method that is inlined, a loss with an
/// entropy term, and AdamW with gradient clipping.
/// </summary>
[Model]
public partial class Attentive
{
    [Dense(8)] private partial Tensor Score(Tensor x);
    [Dense(4)] private partial Tensor Head(Tensor x);

    private Tensor Normalize(Tensor v) => v / (Log(Sum(Exp(v))) + 2);

    [Forward]
    public Tensor Forward([Shape(6)] Tensor x)
    {
        var weights = Softmax(Score(x));
        var h = Normalize(weights * 3 - Mean(x));
        return Head(h);
    }

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y)
    {
        var logits = Forward(x);
        var entropy = -Sum(Softmax(logits) * LogSoftmax(logits));
        var loss = CrossEntropy(logits, y) + 0.1f * entropy;
        Log("train_loss", loss);
        Log("train_entropy", entropy);
        return loss;
    }

    [ValidationStep]
    public void ValidationStep(Tensor x, Label y) => Log("val_acc", Accuracy(Forward(x), y));

    [Optimizer]
    private static Optimizer Optimizer() => new AdamW(learningRate: 1e-2f) { ClipGradNorm = 1.0f };
}
