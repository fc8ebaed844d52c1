using Dsl;
using static Dsl.Ops;

namespace Cnn;

/// <summary>
/// A small convolutional network on 8x8 digit images: conv-BatchNorm-ReLU twice (3x3 convolutions
/// without bias, as a BatchNorm's own bias makes one redundant), 2x2 max pooling, then a dense layer
/// to the ten classes; cross-entropy, Adam.
/// </summary>
[Model]
public partial class CnnClassifier
{
    [Conv2d(16, 3, Padding = 1, Bias = false)] private partial Tensor Conv1(Tensor x);
    [BatchNorm2d] private partial Tensor Norm1(Tensor x);
    [Conv2d(32, 3, Padding = 1, Bias = false)] private partial Tensor Conv2(Tensor x);
    [BatchNorm2d] private partial Tensor Norm2(Tensor x);
    [MaxPool2d(2)] private partial Tensor Pool(Tensor x);
    [Flatten] private partial Tensor Flat(Tensor x);
    [Dense(10)] private partial Tensor Output(Tensor x);

    /// <summary>The logits of the ten digit classes for a batch of 8x8 one-channel images (counts 0-16, scaled).</summary>
    [Forward]
    public Tensor Forward([Shape(1, 8, 8)] Tensor image) =>
        Output(Flat(Pool(Relu(Norm2(Conv2(Relu(Norm1(Conv1(image)))))))));

    /// <summary>The batch's cross-entropy against the true digits, logged as <c>train_loss</c>.</summary>
    [TrainingStep]
    public Tensor TrainingStep(Tensor image, Label digit)
    {
        var loss = CrossEntropy(Forward(image), digit);
        Log("train_loss", loss);
        return loss;
    }

    /// <summary>Logs the validation loss and accuracy (<c>val_loss</c>, <c>val_acc</c>).</summary>
    [ValidationStep]
    public void ValidationStep(Tensor image, Label digit)
    {
        var logits = Forward(image);
        Log("val_loss", CrossEntropy(logits, digit));
        Log("val_acc", Accuracy(logits, digit));
    }

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 2e-3f);
}
