using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// The element-wise ops of issue 22, item 2, in one classifier: <c>Sqrt</c>, <c>Rsqrt</c>,
/// <c>Abs</c>, <c>Pow</c> (integer, negative-free fractional and ½ exponents), <c>Maximum</c>,
/// <c>Minimum</c> and <c>Clamp</c>, compiled against the eager reference and finite differences
/// (<see cref="CompiledVersusEagerTests"/>) and on OpenCL against the CPU.
/// </summary>
[Model]
public partial class Shaper
{
    public const int Inputs = 6, Width = 8, Classes = 3;

    [Dense(Width)] private partial Tensor A(Tensor x);
    [Dense(Width)] private partial Tensor B(Tensor x);
    [Dense(Classes)] private partial Tensor Head(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Inputs)] Tensor x)
    {
        var a = A(x);
        var b = B(x);
        var h = Maximum(a, b) + Minimum(a, Tanh(b)) * 0.5f;
        h = h + Sqrt(Abs(a) + 0.1f) - Rsqrt(Pow(b, 2) + 1) + Pow(Sigmoid(a), 2.5) + Pow(Exp(b), 0.5);
        // The bounds sit away from the test batches' values: a finite difference that steps across
        // a kink of Clamp (0.3 was 8e-4 from one) measures the jump, not the gradient.
        h = h + Clamp(b, -0.25, 0.35) + Pow(a, 3) * 0.1f - Pow(Abs(b) + 1, -1);
        return Head(h);
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
