using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// The tensor ops in the forms HandAttention does not use, on a rank-3 example [2, 3, 4]: Dense on
/// the last axis, Chunk, a transpose of the outer axes, Mean over the first axis, the unbiased
/// Variance over the middle one with keepdim, Reshape, Where with a negated branch, a batched
/// [3, 4] broadcast over the leading axis, and nested Concats, into an Mse loss.
/// </summary>
[Model]
public partial class TensorZoo
{
    [Dense(4)] private partial Tensor Mix(Tensor x);
    [Dense(3)] private partial Tensor Output(Tensor x);

    [Forward]
    public Tensor Forward([Shape(2, 3, 4)] Tensor x)
    {
        var h = Tanh(Mix(x));                                   // [2, 3, 4]
        var parts = Chunk(h, 2, -1);                            // two [2, 3, 2]
        var swapped = Transpose(parts[0], 0, 2);                // [2, 3, 2]
        var mean = Mean(h, 0);                                  // [3, 4]
        var rows = Reshape(Variance(h, 1, true, true), 2, 4);   // [2, 1, 4] → [2, 4]
        var gated = Where(Relu(x), h, -h) + mean;               // [3, 4] repeated over the first axis
        var joined = Concat(0, Reshape(gated, 6, 4), rows, Reshape(Concat(-1, swapped, parts[1]), -1, 4));
        return Output(joined);                                  // [14, 3]
    }

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Tensor y) => Mse(Forward(x), y);

    [Optimizer]
    private static Optimizer Optimizer() => new Sgd(0.1f);
}
