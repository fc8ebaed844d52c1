using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Onnx;

/// <summary>
/// The ops the other exported test models leave out of their forward passes: LogSoftmax, a
/// per-example scalar (Sum, Mean) broadcast against a row, negation, Variance, MatMul of a
/// transposed operand and Where on a scalar branch.
/// </summary>
[Model]
public partial class OnnxOps
{
    public const int Inputs = 6, Width = 4;

    [Dense(Width)] private partial Tensor A(Tensor x);
    [Dense(Width)] private partial Tensor B(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Inputs)] Tensor x)
    {
        var a = A(x);
        var b = B(x);
        var centred = a - Mean(a) * Sum(b) - Variance(b, 0, true, false);
        var outer = MatMul(Reshape(a, Width, 1), Transpose(Reshape(b, Width, 1), 0, 1));   // [4, 4]
        var gated = Where(Relu(outer), outer, 0.5f);
        return LogSoftmax(Tanh(-centred) + Mean(gated, 0));
    }

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

    [Optimizer]
    private static Optimizer Optimizer() => new Sgd(0.1f);
}

/// <summary>A [Forward] that returns its loss: CrossEntropy has no ONNX equivalent, so ExportOnnx throws.</summary>
[Model]
public partial class LossForward
{
    [Dense(3)] private partial Tensor Output(Tensor x);

    [Forward]
    public Tensor Forward([Shape(4)] Tensor x, Label y) => CrossEntropy(Output(x), y);

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y) => Forward(x, y);

    [Optimizer]
    private static Optimizer Optimizer() => new Sgd(0.1f);
}

/// <summary>
/// A tuple [Forward] whose outputs share values: the hidden layer is an output and the head's input,
/// and is returned twice, so the export names one value twice (the second through an Identity).
/// </summary>
[Model]
public partial class SharedOutputs
{
    public const int Inputs = 5, Width = 4, Classes = 3;

    [Dense(Width)] private partial Tensor Hidden(Tensor x);
    [Dense(Classes)] private partial Tensor Head(Tensor x);

    [Forward]
    public (Tensor hidden, Tensor logits, Tensor again) Forward([Shape(Inputs)] Tensor x)
    {
        var h = Tanh(Hidden(x));
        return (h, Head(h), h);
    }

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y)
    {
        var (_, logits, _) = Forward(x);
        return CrossEntropy(logits, y);
    }

    [Optimizer]
    private static Optimizer Optimizer() => new Sgd(0.1f);
}
