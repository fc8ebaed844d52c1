using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// The axis reductions and normalizations of issue 22, item 2, on a per-example [3, 4]: Sum, Max,
/// Min, ArgMax, LogSumExp (with and without keepDim), Softmax and LogSoftmax over the first and
/// the last axis, the whole-tensor Max and Min, and Gather along each axis, compiled against the
/// eager reference and finite differences (<see cref="CompiledVersusEagerTests"/>) and on OpenCL
/// against the CPU.
/// </summary>
[Model]
public partial class Reducer
{
    public const int Rows = 3, Columns = 4, Classes = 3;

    [Dense(Columns)] private partial Tensor Mix(Tensor x);
    [Dense(Classes)] private partial Tensor Head(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Rows, Columns)] Tensor x)
    {
        var h = Tanh(Mix(x)) * 2;                                           // [3, 4]
        var columns = Concat(0, Sum(h, 0), Max(h, 0), LogSumExp(h, -2));    // [12]
        var normalized = Softmax(h, 0) * LogSoftmax(h, 0) + Softmax(h, -1); // [3, 4]
        var centred = h - LogSumExp(h, -1, true);                           // [3, 4] - [3, 1]
        var rows = Min(h, 1) + ArgMax(h, -1) * 0.25f + Max(h) - Min(h);    // [3]
        // Gather at ArgMax's indices: each column's maximum [1, 4], each row's minimum [3, 1]
        // (continuous in h, as Max is, so finite differences hold).
        var picked = Gather(h, 0, ArgMax(h, 0, true));
        var smallest = Gather(h, -1, ArgMax(-h, axis: -1, keepDim: true));
        return Head(Concat(0, columns, Reshape(normalized + centred, 12), rows + Reshape(smallest, Rows), Reshape(picked, Columns)));
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
