using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// AdaptiveAvgPool2d with outputs that do not divide the image, PyTorch's uneven windows: 3x4 of a
/// 7x5 image (rows of 3 overlapping by one, columns of 2 overlapping), and 4x7 (the columns larger
/// than the image, windows of one or two columns).
/// </summary>
[Model]
public partial class UnevenPool
{
    public const int Channels = 2, Height = 7, Width = 5, Inputs = Channels * Height * Width, Classes = 3;

    [AdaptiveAvgPool2d(3, 4)] private partial Tensor Shrink(Tensor x); // [2, 7, 5] -> [2, 3, 4]
    [AdaptiveAvgPool2d(4, 7)] private partial Tensor Stretch(Tensor x); // -> [2, 4, 7]
    [Flatten] private partial Tensor Flat(Tensor x);
    [Dense(Classes)] private partial Tensor Head(Tensor x);
    [Dense(Classes)] private partial Tensor StretchHead(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Channels, Height, Width)] Tensor x) =>
        Head(Flat(Shrink(Tanh(x)))) + StretchHead(Flat(Stretch(x)));

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y)
    {
        var loss = CrossEntropy(Forward(x), y);
        Log("train_loss", loss);
        return loss;
    }

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 1e-2f);
}
