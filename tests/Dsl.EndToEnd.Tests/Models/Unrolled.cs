#pragma warning disable CS0162 // the branches a const condition does not take, as C# says of them
using System;
using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// <see cref="ResidualMlp"/>'s stack of residual blocks written with the C# a practitioner writes and the generator
/// folds at compile time (issue 22, item 1): a <c>for</c> loop with constant bounds over a
/// <c>[Repeat]</c> stack indexed by the loop variable, a second loop that counts, <c>if</c>/<c>else</c>
/// and <c>?:</c> on <c>const</c> conditions, a <c>static readonly</c> scale, a const local and
/// <c>MathF.Sqrt</c> of a constant. The eager reference runs this very code.
/// </summary>
/// <summary>A pre-norm residual block, as <see cref="ResBlock"/> (this file compiles on its own in the generator's tests).</summary>
[Module]
public partial class UnrolledBlock
{
    [LayerNorm] private partial Tensor Norm(Tensor x);
    [Dense(Unrolled.Hidden)] private partial Tensor Up(Tensor x);
    [Dense(Unrolled.Width)] private partial Tensor Down(Tensor x);

    [Forward]
    public Tensor Forward(Tensor x) => x + Down(Gelu(Up(Norm(x))));
}

[Model]
public partial class Unrolled
{
    public const int Inputs = 6, Width = 10, Hidden = 16, Depth = 3, Classes = 3;
    private const bool UseTanh = true, Residual = false;
    private static readonly float Damping = MathF.Sqrt(0.5625f);      // 0.75, folded (no C# constant, so no DSL0018)
    private static readonly float InvSqrtWidth = 1 / MathF.Sqrt(Width);

    [Dense(Width)] private partial Tensor In(Tensor x);
    [Repeat(Depth)] private partial UnrolledBlock[] Blocks { get; }
    [Dense(Classes)] private partial Tensor Head(Tensor x);

    [Forward]
    public Tensor Forward([Shape(Inputs)] Tensor x)
    {
        const float gain = 2f;
        var h = UseTanh ? Tanh(In(x)) : Relu(In(x));
        for (int i = 0; i < Blocks.Length; i++)
        {
            if (Residual)
                h = h + Blocks[i].Forward(h);
            else if (i % 2 == 0)
                h = Blocks[Depth - 1 - i].Forward(h);        // blocks 2, 1, 0: a stack in any order
            else
                h = Blocks[i].Forward(h) * Damping;
        }
        float scale = 1;
        for (int k = 1; k <= 2; k++)
            scale *= 1.5f;                                     // 2.25 after the loop
        return Head(h * (gain * InvSqrtWidth * scale));
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
