using Dsl;
using static Dsl.Ops;

namespace Dsl.Distributed.Worker;

/// <summary>The model the workers train: 20 features, a hidden layer of 32, 4 classes, plain SGD (so an update is linear in the gradient).</summary>
[Model]
public partial class SmallMlp
{
    [Dense(32)] private partial Tensor Hidden(Tensor x);
    [Dense(4)] private partial Tensor Output(Tensor x);

    /// <summary>The logits.</summary>
    [Forward]
    public Tensor Forward([Shape(20)] Tensor x) => Output(Relu(Hidden(x)));

    /// <summary>Cross-entropy, logged as train_loss.</summary>
    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y)
    {
        var loss = CrossEntropy(Forward(x), y);
        Log("train_loss", loss);
        return loss;
    }

    /// <summary>Validation loss and accuracy.</summary>
    [ValidationStep]
    public void ValidationStep(Tensor x, Label y)
    {
        var logits = Forward(x);
        Log("val_loss", CrossEntropy(logits, y));
        Log("val_acc", Accuracy(logits, y));
    }

    [Optimizer]
    private static Optimizer Optimizer() => new Sgd(learningRate: 0.1f);
}

/// <summary>
/// <see cref="SmallMlp"/> trained with Adam: two moment buffers per parameter, the optimizer state
/// that <see cref="Strategy.ShardedOptimizer"/> (ZeRO-1) splits across the ranks.
/// </summary>
[Model]
public partial class SmallAdamMlp
{
    [Dense(32)] private partial Tensor Hidden(Tensor x);
    [Dense(4)] private partial Tensor Output(Tensor x);

    /// <summary>The logits.</summary>
    [Forward]
    public Tensor Forward([Shape(20)] Tensor x) => Output(Relu(Hidden(x)));

    /// <summary>Cross-entropy, logged as train_loss.</summary>
    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y)
    {
        var loss = CrossEntropy(Forward(x), y);
        Log("train_loss", loss);
        return loss;
    }

    [Optimizer]
    private static Optimizer Optimizer() => new Adam(learningRate: 0.01f);
}

/// <summary>A model with a wider hidden layer: a rank that builds it differs from ranks that build <see cref="SmallMlp"/>.</summary>
[Model]
public partial class WideMlp
{
    [Dense(48)] private partial Tensor Hidden(Tensor x);
    [Dense(4)] private partial Tensor Output(Tensor x);

    /// <summary>The logits.</summary>
    [Forward]
    public Tensor Forward([Shape(20)] Tensor x) => Output(Relu(Hidden(x)));

    /// <summary>Cross-entropy, logged as train_loss.</summary>
    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y)
    {
        var loss = CrossEntropy(Forward(x), y);
        Log("train_loss", loss);
        return loss;
    }

    [Optimizer]
    private static Optimizer Optimizer() => new Sgd(learningRate: 0.1f);
}

/// <summary>784-1024-1024-10, the scaling note's larger model (1,863,690 parameters), for step-time figures.</summary>
[Model]
public partial class Mlp784
{
    [Dense(1024)] private partial Tensor Hidden1(Tensor x);
    [Dense(1024)] private partial Tensor Hidden2(Tensor x);
    [Dense(10)] private partial Tensor Output(Tensor x);

    /// <summary>The logits.</summary>
    [Forward]
    public Tensor Forward([Shape(784)] Tensor x) => Output(Relu(Hidden2(Relu(Hidden1(x)))));

    /// <summary>Cross-entropy, logged as train_loss.</summary>
    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y)
    {
        var loss = CrossEntropy(Forward(x), y);
        Log("train_loss", loss);
        return loss;
    }

    [Optimizer]
    private static Optimizer Optimizer() => new Sgd(learningRate: 0.01f);
}

/// <summary>784-1024-1024-10 with Adam: 14.9 MB of moments on one rank, the ZeRO-1 memory figure's model.</summary>
[Model]
public partial class Mlp784Adam
{
    [Dense(1024)] private partial Tensor Hidden1(Tensor x);
    [Dense(1024)] private partial Tensor Hidden2(Tensor x);
    [Dense(10)] private partial Tensor Output(Tensor x);

    /// <summary>The logits.</summary>
    [Forward]
    public Tensor Forward([Shape(784)] Tensor x) => Output(Relu(Hidden2(Relu(Hidden1(x)))));

    /// <summary>Cross-entropy, logged as train_loss.</summary>
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

/// <summary>
/// SmallMlp with a BatchNorm1d after its hidden layer (whose bias the normalisation would remove):
/// buffers (running_mean, running_var, num_batches_tracked) for the per-step broadcast to carry, and
/// per-rank batch statistics, as in DDP without SyncBatchNorm. Plain SGD.
/// </summary>
[Model]
public partial class BatchNormMlp
{
    [Dense(32, Bias = false)] private partial Tensor Hidden(Tensor x);
    [BatchNorm1d] private partial Tensor Norm(Tensor x);
    [Dense(4)] private partial Tensor Output(Tensor x);

    /// <summary>The logits.</summary>
    [Forward]
    public Tensor Forward([Shape(20)] Tensor x) => Output(Relu(Norm(Hidden(x))));

    /// <summary>Cross-entropy, logged as train_loss.</summary>
    [TrainingStep]
    public Tensor TrainingStep(Tensor x, Label y)
    {
        var loss = CrossEntropy(Forward(x), y);
        Log("train_loss", loss);
        return loss;
    }

    [Optimizer]
    private static Optimizer Optimizer() => new Sgd(learningRate: 0.1f);
}
