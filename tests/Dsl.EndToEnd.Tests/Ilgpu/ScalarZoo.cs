using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Ilgpu;

/// <summary>
/// The unary element-wise ops of the op table chained over the model's input alone, with no layer,
/// so the model's output is what its one fused Forward kernel computes: the CPU program's Predict and
/// the ILGPU kernel run on ILGPU's CPU accelerator are compared element for element on the same input.
/// Each value is used once, so nothing is materialised between the ops. The training step puts a
/// layer after Forward, so the backward kernels of every op (their derivatives) compile to PTX too.
/// </summary>
[Model]
public partial class ScalarZoo
{
    [Dense(2)] private partial Tensor Output(Tensor x);

    [Forward]
    public Tensor Forward([Shape(4, 8)] Tensor x)
    {
        var h = Gelu(x) * 1.5 + 0.25;
        h = Tanh(h) - 0.5;
        h = Sigmoid(h * 3) / 1.25;
        h = Log(Exp(-h) + 1);
        h = Rsqrt(Sqrt(h + 0.5));
        h = Relu(Abs(h - 1) - 0.05);
        return Clamp(h, 0.01, 0.9);
    }

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Tensor y) => Mse(Output(Forward(x)), y);

    [Optimizer]
    private static Optimizer Optimizer() => new Sgd(0.1f);
}
