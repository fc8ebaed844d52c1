using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// BatchNorm's PyTorch arguments: a BatchNorm1d over the input's rows with a momentum of 0.3, ε of
/// 1e-3 and no affine parameters (its statistics are the input's, checked in double), and a
/// BatchNorm2d after a convolution without running statistics (the batch's normalise in Predict too).
/// </summary>
[Model]
public partial class BatchNormOptions
{
    public const int Channels = 2, Height = 5, Width = 4, Inputs = Channels * Height * Width, Classes = 3;
    public const double Momentum = 0.3, Eps = 1e-3;

    [BatchNorm1d(Momentum = Momentum, Eps = Eps, Affine = false)] private partial Tensor Rows(Tensor x); // [2, 20]
    [Conv2d(3, 3, Padding = 1, Bias = false)] private partial Tensor Conv(Tensor x);                     // [2, 5, 4] -> [3, 5, 4]
    [BatchNorm2d(TrackRunningStats = false)] private partial Tensor Norm(Tensor x);
    [Flatten] private partial Tensor Flat(Tensor x);
    [Dense(Classes)] private partial Tensor Head(Tensor x);
    [Dense(Classes)] private partial Tensor RowsHead(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Channels, Height, Width)] Tensor x) =>
        Head(Flat(Relu(Norm(Conv(x))))) + RowsHead(Flat(Rows(Reshape(x, Channels, Height * Width))));

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
