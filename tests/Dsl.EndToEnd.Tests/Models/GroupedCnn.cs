using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// The grouped and non-square convolution layers in one classifier of [4, 9, 8] images: a
/// two-group Conv2d with a 3x2 kernel and per-axis padding and stride, a depthwise Conv2d
/// (Groups = channels) dilated down the rows, a non-square MaxPool2d and AvgPool2d, adaptive
/// average pooling to 5x1 and to 1x1 (global), and a grouped Conv1d; compiled against the eager
/// reference and finite differences (<see cref="CompiledVersusEagerTests"/>), on OpenCL against
/// the CPU, and against PyTorch (<c>bench/torch/cnn_crosscheck.py</c>). The max pool reads the
/// input, which no parameter moves: behind a parameterised layer, finite differences of a step of
/// 1e-3 are wrong wherever a window's two largest values are closer than the step moves them
/// (measured: 1.3e-3 and 2.0e-3 relative error on two such variants, while PyTorch's gradients
/// agreed to 1e-4).
/// </summary>
[Model]
public partial class GroupedCnn
{
    public const int Channels = 4, Height = 9, Width = 8, Inputs = Channels * Height * Width, Classes = 3;

    [Conv2d(6, 3, 2, Groups = 2, PaddingHeight = 1, StrideWidth = 2)] private partial Tensor Grouped(Tensor x);      // [4, 9, 8] -> [6, 9, 4]
    [Conv2d(6, 3, Groups = 6, Padding = 1, DilationHeight = 2, Bias = false)] private partial Tensor Depthwise(Tensor x); // -> [6, 7, 4]
    [MaxPool2d(3, 2, StrideHeight = 2, StrideWidth = 1, PaddingHeight = 1)] private partial Tensor Max(Tensor x);     // [4, 9, 8] -> [4, 5, 7]
    [AdaptiveAvgPool2d(5, 1)] private partial Tensor Adaptive(Tensor x);                                             // -> [4, 5, 1]
    [AdaptiveAvgPool2d(1)] private partial Tensor Global(Tensor x);                                                  // [6, 7, 4] -> [6, 1, 1]
    [AvgPool2d(3, 2, PaddingWidth = 1)] private partial Tensor Avg(Tensor x);                                        // [6, 9, 4] -> [6, 3, 3]
    [Conv1d(4, 3, Groups = 2, Stride = 4)] private partial Tensor Rows(Tensor x);                                    // [4, 72] -> [4, 18]
    [Flatten] private partial Tensor Flat(Tensor x);
    [Dense(Classes)] private partial Tensor Head(Tensor x);
    [Dense(Classes)] private partial Tensor GlobalHead(Tensor x);
    [Dense(Classes)] private partial Tensor AvgHead(Tensor x);
    [Dense(Classes)] private partial Tensor RowsHead(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Channels, Height, Width)] Tensor x)
    {
        var grouped = Tanh(Grouped(x));
        var depthwise = Depthwise(grouped);
        return Head(Flat(Adaptive(Max(x))))
            + GlobalHead(Flat(Global(depthwise)))
            + AvgHead(Flat(Avg(grouped)))
            + RowsHead(Flat(Rows(Reshape(x, Channels, Height * Width))));
    }

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
