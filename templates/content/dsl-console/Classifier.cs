using Dsl;
using static Dsl.Ops;

[Model]
public partial class Classifier
{
    [Dense(16)] private partial Tensor Hidden(Tensor x);   // in-features inferred from use
    [Dense(2)]  private partial Tensor Output(Tensor x);

    [Forward]
    public Tensor Forward([Shape(10)] Tensor x) => Output(Relu(Hidden(x)));

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

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
}
