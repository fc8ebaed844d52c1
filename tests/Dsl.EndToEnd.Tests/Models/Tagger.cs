using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// A per-position classifier of float sequences: a [8, 6] input through Dense layers on its last
/// axis, a softmax over each position's scores (so the backward pass sums along rows), and a
/// cross-entropy against Tokens targets averaged over the positions.
/// </summary>
[Model]
public partial class Tagger
{
    public const int Length = 8, Features = 6, Tags = 5;

    [Dense(12)] private partial Tensor Hidden(Tensor x);
    [Dense(Tags)] private partial Tensor Scores(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Length, Features)] Tensor x) => Scores(Tanh(Hidden(x)));

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Tokens tags)
    {
        var logits = Forward(x);
        var confidence = Softmax(logits) * 4;
        var loss = CrossEntropy(confidence, tags) + 0.1f * CrossEntropy(logits, tags);
        Log("train_acc", Accuracy(logits, tags));
        return loss;
    }

    [ValidationStep]
    public void ValidationStep(Tensor x, Tokens tags) => Log("val_acc", Accuracy(Forward(x), tags));

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 1e-2f);
}
