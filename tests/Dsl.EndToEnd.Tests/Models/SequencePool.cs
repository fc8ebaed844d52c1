using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// The 1-D pooling a Conv1d user expects (issue 19), over a convolved sequence [3, 11]: MaxPool1d
/// strided, padded and dilated, then AvgPool1d padded and overlapping, then AdaptiveMaxPool1d(4) of
/// six positions (PyTorch's uneven windows, overlapping); AdaptiveAvgPool1d(4) of eleven (uneven),
/// AdaptiveAvgPool1d(1) (global), and MaxPool1d(2) of a ReLU with its default stride (the last
/// position left out; the ReLU moved after the pooling).
/// </summary>
[Model]
public partial class SequencePool
{
    public const int Channels = 2, Length = 11, Inputs = Channels * Length, Classes = 3;

    [Conv1d(3, 3, Padding = 1)] private partial Tensor Conv(Tensor x); // [2, 11] -> [3, 11]
    [MaxPool1d(3, Stride = 2, Padding = 1, Dilation = 2)] private partial Tensor Max(Tensor x); // -> [3, 5]
    [AvgPool1d(2, Stride = 1, Padding = 1)] private partial Tensor Average(Tensor x); // -> [3, 6]
    [AdaptiveMaxPool1d(4)] private partial Tensor Shrink(Tensor x); // [3, 6] -> [3, 4]
    [AdaptiveAvgPool1d(4)] private partial Tensor Spread(Tensor x); // [3, 11] -> [3, 4]
    [AdaptiveAvgPool1d(1)] private partial Tensor Global(Tensor x); // [3, 11] -> [3, 1]
    [MaxPool1d(2)] private partial Tensor Halve(Tensor x); // [3, 11] -> [3, 5]
    [Flatten] private partial Tensor Flat(Tensor x);
    [Dense(Classes)] private partial Tensor Head(Tensor x);
    [Dense(Classes)] private partial Tensor SpreadHead(Tensor x);
    [Dense(Classes)] private partial Tensor GlobalHead(Tensor x);
    [Dense(Classes)] private partial Tensor HalveHead(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Channels, Length)] Tensor x)
    {
        var c = Conv(x);
        var h = Tanh(c);
        return Head(Flat(Shrink(Average(Max(h))))) + SpreadHead(Flat(Spread(h))) + GlobalHead(Flat(Global(h))) + HalveHead(Flat(Halve(Relu(c))));
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
