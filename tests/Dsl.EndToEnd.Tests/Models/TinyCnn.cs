using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// The convolution layers of issue 19 in one classifier of [2, 6, 7] images: a padded Conv2d, a
/// padded and strided MaxPool2d (the padding must never win), a padded AvgPool2d (counted as
/// zeros), a strided and dilated Conv2d without bias over the first one's activations (so a
/// convolution's input gradient is taken), a Conv1d over the image's rows as one
/// sequence, and Flatten; compiled against the eager reference and finite differences
/// (<see cref="CompiledVersusEagerTests"/>) and on OpenCL against the CPU.
/// </summary>
[Model]
public partial class TinyCnn
{
    public const int Channels = 2, Height = 6, Width = 7, Inputs = Channels * Height * Width, Classes = 3;

    [Conv2d(4, 3, Padding = 1)] private partial Tensor Conv(Tensor x);                            // [2, 6, 7] -> [4, 6, 7]
    [MaxPool2d(3, Stride = 2, Padding = 1)] private partial Tensor Max(Tensor x);                 // -> [4, 3, 4]
    [AvgPool2d(2, Stride = 1, Padding = 1)] private partial Tensor Avg(Tensor x);                 // -> [4, 4, 5]
    [Conv2d(3, 2, Stride = 2, Dilation = 2, Bias = false)] private partial Tensor Strided(Tensor x); // [4, 6, 7] -> [3, 2, 3]
    [Conv1d(2, 3, Padding = 2, Stride = 3)] private partial Tensor Rows(Tensor x);                // [2, 42] -> [2, 15]
    [Flatten] private partial Tensor Flat(Tensor x);
    [Dense(Classes)] private partial Tensor Head(Tensor x);
    [Dense(Classes)] private partial Tensor StridedHead(Tensor x);
    [Dense(Classes)] private partial Tensor RowsHead(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Channels, Height, Width)] Tensor x) =>
        Head(Flat(Avg(Max(Tanh(Conv(x))))))
        + StridedHead(Flat(Strided(Tanh(Conv(x)))))
        + RowsHead(Flat(Rows(Reshape(x, Channels, Height * Width))));

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y)
    {
        var loss = CrossEntropy(Forward(x), y);
        Log("train_loss", loss);
        return loss;
    }

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
}
