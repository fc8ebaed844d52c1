// Trains a 64-128-10 MLP on the UCI 8x8 handwritten digits (80% train, 20% held out) and prints
// the loss and held-out accuracy per epoch. The model is DigitsClassifier.cs.

using System;
using System.IO;
using Digits;
using Dsl;

const int Batch = 64, Epochs = 40;

DigitsData all = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
var (train, test) = all.Split(trainFraction: 0.8, seed: 0);
Console.WriteLine($"{all.Count} digits: {train.Count} to train on, {test.Count} held out");

var model = new DigitsClassifier(seed: 0);
Console.WriteLine(DigitsClassifier.Summary);
using DigitsClassifier.Program program = model.Compile(Device.Cpu, maxBatch: Math.Max(Batch, test.Count));

for (int epoch = 1; epoch <= Epochs; epoch++)
{
    double loss = 0;
    int batches = 0;
    for (int start = 0; start + Batch <= train.Count; start += Batch, batches++)   // drop-last
        loss += program.TrainStep(train.Pixels.AsSpan(start * 64, Batch * 64), train.Labels.AsSpan(start, Batch));
    program.EvalStep(test.Pixels, test.Labels);
    if (epoch % 5 == 0 || epoch == 1)
        Console.WriteLine($"epoch {epoch,2}: train loss {loss / batches:F4}, held-out loss {program.Metrics["val_loss"]:F4}, held-out accuracy {program.Metrics["val_acc"]:P1}");
}
