using Dsl;
using static Dsl.Ops;

namespace Dsl.Benchmarks.Models;

/// <summary>The digits MLP of shared/data/README.md: 64 -> 128 -> ReLU -> 10, cross-entropy, Adam.</summary>
[Model]
public partial class DigitsMlp
{
    [Dense(128)] private partial Tensor Hidden(Tensor x);
    [Dense(10)] private partial Tensor Output(Tensor x);

    [Forward]
    public Tensor Forward([Shape(64)] Tensor x) => Output(Relu(Hidden(x)));

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
}

/// <summary>An MNIST-sized MLP, 784 -> 512 -> 256 -> 10 with ReLU, where the GEMMs dominate.</summary>
[Model]
public partial class MnistMlp
{
    [Dense(512)] private partial Tensor Layer1(Tensor x);
    [Dense(256)] private partial Tensor Layer2(Tensor x);
    [Dense(10)] private partial Tensor Output(Tensor x);

    [Forward]
    public Tensor Forward([Shape(784)] Tensor x) => Output(Relu(Layer2(Relu(Layer1(x)))));

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
}
