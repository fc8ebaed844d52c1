using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// AdaptiveMaxPool2d (issue 19) over a convolved image [3, 7, 5]: 3x4 (PyTorch's uneven windows, rows
/// of three overlapping by one, columns of two overlapping), 4x7 (more columns than the image has:
/// windows of one or two columns), 1 (global max pooling), and 7x1 (an output that divides the image:
/// max pooling with a 1x5 window).
/// </summary>
[Model]
public partial class UnevenMaxPool
{
    public const int Channels = 2, Height = 7, Width = 5, Inputs = Channels * Height * Width, Classes = 3;

    [Conv2d(3, 3, Padding = 1)] private partial Tensor Conv(Tensor x); // [2, 7, 5] -> [3, 7, 5]
    [AdaptiveMaxPool2d(3, 4)] private partial Tensor Shrink(Tensor x); // -> [3, 3, 4]
    [AdaptiveMaxPool2d(4, 7)] private partial Tensor Stretch(Tensor x); // -> [3, 4, 7]
    [AdaptiveMaxPool2d(1)] private partial Tensor Global(Tensor x); // -> [3, 1, 1]
    [AdaptiveMaxPool2d(7, 1)] private partial Tensor Rows(Tensor x); // -> [3, 7, 1]
    [Flatten] private partial Tensor Flat(Tensor x);
    [Dense(Classes)] private partial Tensor Head(Tensor x);
    [Dense(Classes)] private partial Tensor StretchHead(Tensor x);
    [Dense(Classes)] private partial Tensor GlobalHead(Tensor x);
    [Dense(Classes)] private partial Tensor RowsHead(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Channels, Height, Width)] Tensor x)
    {
        var h = Tanh(Conv(x));
        return Head(Flat(Shrink(h))) + StretchHead(Flat(Stretch(h))) + GlobalHead(Flat(Global(h))) + RowsHead(Flat(Rows(h)));
    }

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
