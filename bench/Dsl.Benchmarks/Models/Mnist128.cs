using Dsl;
using static Dsl.Ops;

namespace Dsl.Benchmarks.Models;

/// <summary>An MNIST MLP, 784 -> 128 -> ReLU -> 10, cross-entropy, Adam: issue 7's small-GEMM case.</summary>
[Model]
public partial class Mnist128
{
    [Dense(128)] private partial Tensor Hidden(Tensor x);
    [Dense(10)] private partial Tensor Output(Tensor x);

    [Forward]
    public Tensor Forward([Shape(784)] Tensor x) => Output(Relu(Hidden(x)));

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
}
