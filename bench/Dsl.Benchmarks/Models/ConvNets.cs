using Dsl;
using static Dsl.Ops;

namespace Dsl.Benchmarks.Models;

/// <summary>
/// LeNet-5 on 28x28 digits (issue 19's benchmark): conv 6@5x5, ReLU, max pool 2, conv 16@5x5,
/// ReLU, max pool 2, then 256-120-84-10 with ReLU, cross-entropy, Adam. PyTorch's side is the
/// same network in bench/compare.py.
/// </summary>
[Model]
public partial class LeNet5
{
    [Conv2d(6, 5)] private partial Tensor Conv1(Tensor x);     // [1, 28, 28] -> [6, 24, 24]
    [Conv2d(16, 5)] private partial Tensor Conv2(Tensor x);    // [6, 12, 12] -> [16, 8, 8]
    [MaxPool2d(2)] private partial Tensor Pool(Tensor x);
    [Flatten] private partial Tensor Flat(Tensor x);
    [Dense(120)] private partial Tensor Fc1(Tensor x);
    [Dense(84)] private partial Tensor Fc2(Tensor x);
    [Dense(10)] private partial Tensor Fc3(Tensor x);

    [Forward]
    public Tensor Forward([Shape(1, 28, 28)] Tensor x) =>
        Fc3(Relu(Fc2(Relu(Fc1(Flat(Pool(Relu(Conv2(Pool(Relu(Conv1(x))))))))))));

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
}

/// <summary>
/// A residual stack at 32x32x16 (issue 19's benchmark): two blocks of x + conv(ReLU(conv(x))),
/// each conv 16@3x3 with padding 1, then ReLU, global average pooling and a 16-10 head;
/// cross-entropy, Adam. PyTorch's side is the same network in bench/compare.py.
/// </summary>
[Model]
public partial class ResidualStack
{
    [Conv2d(16, 3, Padding = 1)] private partial Tensor Conv1(Tensor x);
    [Conv2d(16, 3, Padding = 1)] private partial Tensor Conv2(Tensor x);
    [Conv2d(16, 3, Padding = 1)] private partial Tensor Conv3(Tensor x);
    [Conv2d(16, 3, Padding = 1)] private partial Tensor Conv4(Tensor x);
    [AdaptiveAvgPool2d(1)] private partial Tensor Global(Tensor x);
    [Flatten] private partial Tensor Flat(Tensor x);
    [Dense(10)] private partial Tensor Head(Tensor x);

    [Forward]
    public Tensor Forward([Shape(16, 32, 32)] Tensor x)
    {
        var first = x + Conv2(Relu(Conv1(x)));
        var second = first + Conv4(Relu(Conv3(first)));
        return Head(Flat(Global(Relu(second))));
    }

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
}
