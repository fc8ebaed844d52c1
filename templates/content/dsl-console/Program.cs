// dotnet run: trains the model in Classifier.cs on a learnable rule and prints the loss and accuracy.
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
Console.WriteLine(FormattableString.Invariant($"Loss {first:F4} -> {last:F4} after {Steps} steps; training accuracy {correct}/{Examples}"));
