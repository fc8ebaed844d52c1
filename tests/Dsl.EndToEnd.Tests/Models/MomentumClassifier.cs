using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>ScheduledClassifier's layers and parameter names, trained with SGD and momentum instead of AdamW.</summary>
[Model]
public partial class MomentumClassifier
{
    [Dense(8)] private partial Tensor Hidden(Tensor x);
    [Dense(3)] private partial Tensor Output(Tensor x);

    [Forward]
    public Tensor Forward([Shape(4)] Tensor x) => Output(Tanh(Hidden(x)));

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

    [Optimizer]
    private static Optimizer Optimizer() => new Sgd(learningRate: 0.1f, momentum: 0.9f);
}
