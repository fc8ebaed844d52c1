namespace Dsl.Package.Tests;

/// <summary>The consuming project's sources: the README's model and a program that trains it.</summary>
internal static class ReadmeModel
{
    /// <summary>The README's model, as a user would paste it.</summary>
    public const string Classifier = """
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
        """;

    /// <summary>The line of <see cref="Classifier"/> the broken-model test breaks.</summary>
    public const string ForwardLine = "public Tensor Forward([Shape(10)] Tensor x) => Output(Relu(Hidden(x)));";

    /// <summary>
    /// Trains on a learnable rule (the label says whether the first five features sum above zero),
    /// full batch, and prints the first and last loss and the training accuracy on one line.
    /// </summary>
    public const string Program = """
        using Dsl;

        const int Examples = 200, Features = 10, Steps = 400;
        var random = new Random(7);
        float[] x = new float[Examples * Features];
        int[] y = new int[Examples];
        for (int i = 0; i < Examples; i++)
        {
            float sum = 0;
            for (int j = 0; j < Features; j++)
            {
                float value = (float)(random.NextDouble() * 2 - 1);
                x[i * Features + j] = value;
                if (j < 5) sum += value;
            }
            y[i] = sum > 0 ? 1 : 0;
        }

        var model = new Classifier(seed: 42);
        Console.WriteLine(Classifier.Summary);
        using Classifier.Program program = model.Compile(Device.Cpu, maxBatch: Examples);
        float first = program.TrainStep(x, y), last = first;
        for (int step = 1; step < Steps; step++)
            last = program.TrainStep(x, y);

        float[] logits = new float[Examples * 2];
        program.Predict(x, logits);
        int correct = 0;
        for (int i = 0; i < Examples; i++)
            if ((logits[2 * i + 1] > logits[2 * i] ? 1 : 0) == y[i])
                correct++;
        Console.WriteLine(FormattableString.Invariant($"RESULT first={first:F4} last={last:F4} correct={correct}/{Examples}"));
        """;
}
