// Trains a 64-128-10 MLP on the UCI 8x8 handwritten digits with the Trainer: 70% to train on,
// 15% to validate (early stopping, best checkpoint), 15% held out for the final test.
//
//   dotnet run --project samples/Digits [-- --epochs 100 --seed 0 --output digits-output]
//
// Logs: <output>/logs/default/version_N/metrics.csv and <output>/runs/default/version_N/events.out.tfevents.*
// (tensorboard --logdir <output>/runs); checkpoints: <output>/checkpoints/*.safetensors.

using System;
using System.Diagnostics;
using System.IO;
using Digits;

string output = "digits-output";
int epochs = 100, seed = 0;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n > 0:
            epochs = n;
            i++;
            break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], out int s):
            seed = s;
            i++;
            break;
        case "--output" when i + 1 < args.Length:
            output = args[++i];
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: Digits [--epochs N] [--seed S] [--output DIRECTORY]");
            return 2;
    }
}

Console.WriteLine(DigitsClassifier.Summary);
var clock = Stopwatch.StartNew();
var outcome = DigitsTraining.Run(new DigitsTraining.Settings(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"), output, epochs, seed));
Console.WriteLine($"{outcome.Examples.Train} train / {outcome.Examples.Validation} validation / {outcome.Examples.Test} test digits");
Console.WriteLine($"Stopped after {outcome.Fit.Epochs} epochs ({outcome.Fit.StopReason}), {outcome.Fit.GlobalStep} steps, in {outcome.Fit.Elapsed.TotalSeconds:F1} s");
Console.WriteLine($"Best checkpoint: {outcome.BestCheckpoint}");
Console.WriteLine($"Test accuracy {outcome.Test["test_acc"]:P2}, test loss {outcome.Test["test_loss"]:F4} (wall time {clock.Elapsed.TotalSeconds:F1} s)");
return 0;
