using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// The BatchNorm layers of issue 19 in one classifier of [2, 5, 4] images: a BatchNorm2d after a
/// convolution, a BatchNorm1d over the channels of a [C, L] sequence (the image's rows), and a
/// BatchNorm1d over a vector [C] after a dense layer; compiled against the eager reference in eval
/// mode, against PyTorch in training and eval mode, and on OpenCL against the CPU. The layers before
/// a BatchNorm have no bias, as is usual: the normalisation removes it, so its gradient is zero up to
/// rounding, and Adam would turn that rounding noise into steps that differ from torch's.
/// </summary>
[Model]
public partial class TinyBatchNorm
{
    public const int Channels = 2, Height = 5, Width = 4, Inputs = Channels * Height * Width, Classes = 3;

    [Conv2d(3, 3, Padding = 1, Bias = false)] private partial Tensor Conv(Tensor x); // [2, 5, 4] -> [3, 5, 4]
    [BatchNorm2d] private partial Tensor Norm(Tensor x);                      // over 3 channels
    [BatchNorm1d] private partial Tensor Rows(Tensor x);                      // [2, 20], over 2 channels
    [Flatten] private partial Tensor Flat(Tensor x);
    [Dense(6, Bias = false)] private partial Tensor Hidden(Tensor x);
    [BatchNorm1d] private partial Tensor HiddenNorm(Tensor x);                // [6]
    [Dense(Classes)] private partial Tensor Head(Tensor x);
    [Dense(Classes)] private partial Tensor RowsHead(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Channels, Height, Width)] Tensor x) =>
        Head(Relu(HiddenNorm(Hidden(Flat(Relu(Norm(Conv(x))))))))
        + RowsHead(Flat(Rows(Reshape(x, Channels, Height * Width))));

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
