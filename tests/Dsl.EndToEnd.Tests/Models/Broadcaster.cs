using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// NumPy broadcasting (issue 22, item 3) on a per-example [3, 4]: a column [3, 1] against a row
/// [1, 4], a [3, 1, 4] against a [3, 1] (both sides repeat), a trailing shape, and a Where whose
/// three operands broadcast to [3, 3, 4]; then Stack and Cat with collection expressions and named
/// arguments (<c>axis: 1</c>). Compiled against the eager reference and finite differences
/// (<see cref="CompiledVersusEagerTests"/>) and on OpenCL against the CPU. It keeps to smooth ops:
/// a finite difference across a kink of Maximum measures the jump (the broadcast Maximum's
/// gradient is checked in double in GradientCheckTests).
/// </summary>
[Model]
public partial class Broadcaster
{
    public const int Rows = 3, Columns = 4, Classes = 3;

    [Dense(Columns)] private partial Tensor Mix(Tensor x);
    [Dense(Classes)] private partial Tensor Head(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Rows, Columns)] Tensor x)
    {
        var h = Tanh(Mix(x)) * 2;                                          // [3, 4]
        var column = Mean(h, 1, true);                                     // [3, 1]
        var row = Sum(h, axis: 0, keepDim: true) * 0.5f;                   // [1, 4]
        var outer = column * row - (row - column) / (1 + column * column); // [3, 1] against [1, 4]: [3, 4]
        var cube = Reshape(h, Rows, 1, Columns);                           // [3, 1, 4]
        var spread = cube * column + Sigmoid(cube - Reshape(row, Columns)); // [3, 1, 4] against [3, 1]: [3, 3, 4]
        var masked = Where(Reshape(CausalMask(Rows), Rows, Rows, 1), spread, cube); // [3, 3, 1], [3, 3, 4], [3, 1, 4]
        var stacked = Stack([outer, Sum(masked, 1)], axis: 1);            // [3, 2, 4]
        return Head(Reshape(Cat([stacked, Softmax(stacked, axis: 0)], -1), 2 * Rows * 2 * Columns));
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
