using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>Dropout twice through one layer (two sites, two masks) between smooth layers, and a validation step.</summary>
[Model]
public partial class Dropper
{
    [Dense(16)] private partial Tensor Hidden(Tensor x);
    [Dense(3)] private partial Tensor Output(Tensor x);
    [Dropout(0.25f)] private partial Tensor Drop(Tensor x);

    [Forward]
    public Tensor Forward([Shape(6)] Tensor x) => Output(Drop(Tanh(Hidden(Drop(x)))));

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y)
    {
        var loss = CrossEntropy(Forward(x), y);
        Log("train_loss", loss);
        return loss;
    }

    [ValidationStep]
    public void ValidationStep(Tensor x, Label y) => Log("val_loss", CrossEntropy(Forward(x), y));

    [Optimizer]
    private static Optimizer Optimizer() => new Sgd(learningRate: 0.1f);
}
