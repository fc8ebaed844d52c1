using Dsl;
using static Dsl.Ops;

namespace Dsl.EndToEnd.Tests.Models;

/// <summary>
/// A pre-norm residual block of <see cref="TwoHeads"/> with a second public method,
/// <see cref="Features"/>, that its holder calls besides <see cref="Forward"/> (issue 22, item 4).
/// </summary>
[Module]
public partial class TwoHeadsBlock
{
    [LayerNorm] private partial Tensor Norm(Tensor x);
    [Dense(TwoHeads.Width)] private partial Tensor Mix(Tensor x);

    [Forward]
    public Tensor Forward(Tensor x) => x + Features(x);

    /// <summary>The block's residual branch alone: what it adds to its input.</summary>
    public Tensor Features(Tensor x) => Mix(Gelu(Norm(x)));
}

/// <summary>
/// Two heads on one trunk, written as a practitioner would (issue 22, items 1 and 4): a
/// <c>const</c>-bounded <c>for</c> over a <c>[Repeat]</c> stack, a <c>[Forward]</c> that returns
/// <c>(Tensor logits, Tensor score)</c>, deconstructed in the training and validation steps, a
/// block method other than <c>[Forward]</c> called from the model, and per-example scalar inputs
/// (<c>[Shape()]</c>): a regression target and a weight for the auxiliary loss. The eager
/// reference runs this very code.
/// </summary>
[Model]
public partial class TwoHeads
{
    public const int Inputs = 6, Width = 8, Depth = 2, Classes = 3;
    private const float AuxiliaryWeight = 0.5f;

    [Dense(Width)] private partial Tensor In(Tensor x);
    [Repeat(Depth)] private partial TwoHeadsBlock[] Blocks { get; }
    [Dense(Classes)] private partial Tensor Classify(Tensor x);
    [Dense(1)] private partial Tensor Score(Tensor x);

    [Forward]
    public (Tensor logits, Tensor score) Forward([Shape(Inputs)] Tensor x)
    {
        var h = Tanh(In(x));
        for (int i = 0; i < Depth - 1; i++)
            h = Blocks[i].Forward(h);
        // The last block by its parts: its residual branch feeds the score head too.
        var features = Blocks[Depth - 1].Features(h);
        h = h + features;
        return (Classify(h), Score(features));
    }

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y, [Shape()] Tensor target, [Shape()] Tensor weight)
    {
        var (logits, score) = Forward(x);
        var error = Sum(score) - target;
        var loss = CrossEntropy(logits, y) + AuxiliaryWeight * weight * error * error;
        Log("train_loss", loss);
        return loss;
    }

    [ValidationStep]
    public void ValidationStep(Tensor x, Label y)
    {
        var heads = Forward(x);
        Log("val_loss", CrossEntropy(heads.logits, y));
        Log("val_accuracy", Accuracy(heads.Item1, y));
    }

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 1e-2f);
}
