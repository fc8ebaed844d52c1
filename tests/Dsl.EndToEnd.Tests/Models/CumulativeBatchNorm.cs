using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// BatchNorm with PyTorch's momentum=None (<c>CumulativeAverage = true</c>): the running statistics
/// are the plain average of every batch's so far, over an image after a convolution and over the
/// input's rows (with ε 1e-3); bench/torch/cnn_crosscheck.py holds the same network in torch.
/// </summary>
[Model]
public partial class CumulativeBatchNorm
{
    public const int Channels = 2, Height = 4, Width = 3, Inputs = Channels * Height * Width, Classes = 3;

    [BatchNorm1d(CumulativeAverage = true, Eps = 1e-3)] private partial Tensor Rows(Tensor x); // [2, 12]
    [Conv2d(3, 3, Padding = 1, Bias = false)] private partial Tensor Conv(Tensor x);           // [2, 4, 3] -> [3, 4, 3]; a bias before BatchNorm has no gradient
    [BatchNorm2d(CumulativeAverage = true)] private partial Tensor Norm(Tensor x);
    [Flatten] private partial Tensor Flat(Tensor x);
    [Dense(Classes)] private partial Tensor Head(Tensor x);
    [Dense(Classes)] private partial Tensor RowsHead(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Channels, Height, Width)] Tensor x) =>
        Head(Flat(Relu(Norm(Conv(x))))) + RowsHead(Flat(Rows(Reshape(x, Channels, Height * Width))));

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 1e-2f);
}
