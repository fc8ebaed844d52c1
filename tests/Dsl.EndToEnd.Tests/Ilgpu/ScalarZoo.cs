using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Ilgpu;

/// <summary>
/// Every element-wise op of the op table in one Forward over its input alone, with no layer, so the
/// model's output is what its one fused Forward kernel computes: the CPU program's Predict and the
/// ILGPU kernel run on ILGPU's CPU accelerator are compared element for element on the same input.
/// </summary>
[Model]
public partial class ScalarZoo
{
    [Forward]
    public Tensor Forward([Shape(4, 8)] Tensor x)
    {
        var smooth = Gelu(x) + Tanh(x) * Sigmoid(x) - Exp(-Abs(x)) + Log(Abs(x) + 1);
        var roots = Sqrt(Abs(x) + 0.5) / 3 + Rsqrt(x * x + 1);
        var pieces = Maximum(x, Relu(-x) * 0.5) - Minimum(x, Clamp(x, -0.25, 0.25)) + Where(Relu(x), x, -x);
        return smooth * 0.5 + roots - pieces;
    }
}
