using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>A regression model: Tanh, Gelu, Sigmoid, a layer without bias used twice, scalar arithmetic, Mse.</summary>
[Model]
public partial class Regressor
{
    [Dense(12)] private partial Tensor Encode(Tensor x);
    [Dense(6, Bias = false)] private partial Tensor Mix(Tensor x);
    [Dense(3)] private partial Tensor Decode(Tensor x);

    [Forward]
    public Tensor Forward([Shape(5)] Tensor x)
    {
        var h = Tanh(Encode(x));
        var mixed = Gelu(Mix(h)) * 0.5f + Sigmoid(Mix(h));
        return Decode(mixed) / 2 - 1;
    }

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Tensor target)
    {
        var loss = Mse(Forward(x), target);
        Log("train_mse", loss);
        return loss;
    }

    [Optimizer]
    private static Optimizer Optimizer() => new Sgd(learningRate: 0.1f, momentum: 0.9f);
}
