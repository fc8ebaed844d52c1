using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// A pre-norm residual block, nn.Module style: x + Down(Gelu(Up(Norm(x)))). Held three times by
/// <see cref="ResidualMlp"/>'s stack and once inside <see cref="Stem"/>.
/// </summary>
[Module]
public partial class ResBlock
{
    [LayerNorm] private partial Tensor Norm(Tensor x);
    [Dense(ResidualMlp.Hidden)] private partial Tensor Up(Tensor x);
    [Dense(ResidualMlp.Width)] private partial Tensor Down(Tensor x);

    [Forward]
    public Tensor Forward(Tensor x) => x + Down(Gelu(Up(Norm(x))));
}

/// <summary>The input projection, a module holding a module: In, then one residual block.</summary>
[Module]
public partial class Stem
{
    [Dense(ResidualMlp.Width)] private partial Tensor In(Tensor x);
    private partial ResBlock Refine { get; }

    [Forward]
    public Tensor Forward(Tensor x) => Refine.Forward(Tanh(In(x)));
}

/// <summary>
/// A residual MLP classifier of vectors built from modules: a single child (<c>encoder.*</c>),
/// a <c>[Repeat(3)]</c> stack unrolled by <c>foreach</c> (<c>blocks.0.*</c> .. <c>blocks.2.*</c>),
/// and a final LayerNorm and head of the model's own.
/// </summary>
[Model]
public partial class ResidualMlp
{
    public const int Inputs = 7, Width = 10, Hidden = 16, Classes = 3;

    private partial Stem Encoder { get; }
    [Repeat(3)] private partial ResBlock[] Blocks { get; }
    [LayerNorm] private partial Tensor Norm(Tensor x);
    [Dense(Classes)] private partial Tensor Head(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Inputs)] Tensor x)
    {
        x = Encoder.Forward(x);
        foreach (var block in Blocks)
            x = block.Forward(x);
        return Head(Norm(x));
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
