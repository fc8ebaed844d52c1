// The seed article's example (PyTorch vs Lightning, section 4): a 10 -> 16 -> ReLU -> 2 classifier
// trained with cross-entropy and Adam(1e-3) on 100 random examples, full batch, printing the train
// and validation loss of each epoch. The model is Classifier.cs; everything below is the loop that
// Lightning's Trainer would run.

using System;
using Dsl;
using QuickStart;

const int Examples = 100, Features = 10;

// X = torch.randn(100, 10); y = torch.randint(0, 2, (100,))
var random = new Random(7);
float[] x = new float[Examples * Features];
for (int i = 0; i < x.Length; i++)
    x[i] = Normal(random);
int[] y = new int[Examples];
for (int i = 0; i < y.Length; i++)
    y[i] = random.Next(2);

var model = new Classifier(seed: 42);
Console.WriteLine(Classifier.Summary);
Console.WriteLine();

using Classifier.Program program = model.Compile(Device.Cpu, maxBatch: Examples);

int epochs = args.Length > 0 ? int.Parse(args[0]) : 300;
for (int epoch = 1; epoch <= epochs; epoch++)
{
    float trainLoss = program.TrainStep(x, y);
    program.EvalStep(x, y);   // "just a demonstration - not a separate set", as in the seed
    if (epoch <= 5 || epoch % 50 == 0)
        Console.WriteLine($"Epoch: {epoch}, Train Loss: {trainLoss:F4}, Val Loss: {program.Metrics["val_loss"]:F4}, Val Acc: {program.Metrics["val_acc"]:P0}");
    if (epoch == 5 && epochs > 5)
        Console.WriteLine("... and then more:");
}

// A standard normal sample (Box-Muller), as torch.randn draws.
static float Normal(Random random) =>
    (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
