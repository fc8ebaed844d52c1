using System;
using Xunit;
using static Dsl.Ops;

namespace Dsl.Attributes.Tests;

// The shape of §2.1's classifier, written the way eager generated code would complete it: the
// [Dense] partial methods' bodies call EagerLayers.Dense with the layer's parameters.
[Model]
public partial class TinyClassifier
{
    // hidden.weight [3, 2], hidden.bias [3]; output.weight [2, 3], output.bias [2]
    private readonly Tensor _hiddenWeight = new(new[] { 1.0, -1.0, 0.5, 2.0, -1.0, 0.0 }, 3, 2);
    private readonly Tensor _hiddenBias = new(new[] { 0.0, -1.0, 0.5 }, 3);
    private readonly Tensor _outputWeight = new(new[] { 1.0, 1.0, 1.0, -1.0, 0.0, 2.0 }, 2, 3);
    private readonly Tensor _outputBias = new(new[] { 0.25, 0.0 }, 2);

    [Dense(3)] private partial Tensor Hidden(Tensor x);
    [Dense(2)] private partial Tensor Output(Tensor x);

    private partial Tensor Hidden(Tensor x) => EagerLayers.Dense(x, _hiddenWeight, _hiddenBias);
    private partial Tensor Output(Tensor x) => EagerLayers.Dense(x, _outputWeight, _outputBias);

    [Forward]
    public Tensor Forward([Shape(2)] Tensor x) => Output(Relu(Hidden(x)));

    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y)
    {
        var loss = CrossEntropy(Forward(x), y);
        Log("train_loss", loss);
        return loss;
    }

    [ValidationStep]
    public void ValidationStep(Tensor x, Label y)
    {
        var logits = Forward(x);
        Log("val_loss", CrossEntropy(logits, y));
        Log("val_acc", Accuracy(logits, y));
    }
}

public class EagerModelTests
{
    private static readonly Tensor Input = new(new[] { 2.0, 1.0 }, 2);

    [Fact]
    public void Forward_MatchesAHandComputedMlp()
    {
        // hidden = W1 x + b1 = (2 - 1 + 0, 1 + 2 - 1, -2 + 0 + 0.5) = (1, 2, -1.5)
        // relu   = (1, 2, 0)
        // logits = W2 h + b2 = (1 + 2 + 0 + 0.25, -1 + 0 + 0 + 0) = (3.25, -1)
        var logits = new TinyClassifier().Forward(Input);
        Approx.Tensor(logits, new[] { 2 }, new[] { 3.25, -1.0 });
    }

    [Fact]
    public void TrainingStep_ReturnsAndLogsTheCrossEntropy()
    {
        EagerLog.Clear();
        var loss = new TinyClassifier().TrainingStep(Input, 1);

        // CE = ln(e^3.25 + e^-1) - (-1) = 4.25 + ln(1 + e^-4.25)
        double expected = 4.25 + Math.Log(1 + Math.Exp(-4.25));
        Approx.Scalar(expected, loss, relative: 1e-15);
        Assert.Equal(loss.Item(), EagerLog.Values["train_loss"]);
    }

    [Fact]
    public void ValidationStep_LogsLossAndAccuracy()
    {
        EagerLog.Clear();
        new TinyClassifier().ValidationStep(Input, 0);

        Approx.Equal(Math.Log(1 + Math.Exp(-4.25)), EagerLog.Values["val_loss"], relative: 1e-14);
        Assert.Equal(1.0, EagerLog.Values["val_acc"]);
    }
}
