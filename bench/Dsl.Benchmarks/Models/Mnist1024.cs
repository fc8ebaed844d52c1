using Dsl;
using static Dsl.Ops;

namespace Dsl.Benchmarks.Models;

/// <summary>A wide MNIST MLP, 784 -> 1024 -> 1024 -> 10 with ReLU, cross-entropy, Adam: issue 7's GEMM-bound case.</summary>
[Model]
public partial class Mnist1024
{
    [Dense(1024)] private partial Tensor Layer1(Tensor x);
    [Dense(1024)] private partial Tensor Layer2(Tensor x);
    [Dense(10)] private partial Tensor Output(Tensor x);

    [Forward]
    public Tensor Forward([Shape(784)] Tensor x) => Output(Relu(Layer2(Relu(Layer1(x)))));

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
}
