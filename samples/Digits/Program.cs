// Trains a 64-128-10 MLP on the UCI 8x8 handwritten digits with the Trainer: 70% to train on,
// 15% to validate (early stopping, best checkpoint), 15% held out for the final test.
//
//   dotnet run --project samples/Digits [-- --epochs 100 --seed 0 --batch-size 32 --output digits-output --device cpu|opencl|cuda]
//
// Data-parallel on 2 processes (Open MPI; each rank trains on half of every batch, see README):
//   dotnet build samples/Digits && mpirun -np 2 dotnet samples/Digits/bin/Debug/net10.0/Digits.dll
// (as root add --allow-run-as-root; on fewer cores than ranks add --oversubscribe).
//
// --device opencl runs every step on the first OpenCL device (PoCL on a CPU, or a GPU's driver),
// --device cuda on the first CUDA GPU; without it the CPU backend runs.
//
// Logs: <output>/logs/default/version_N/metrics.csv and <output>/runs/default/version_N/events.out.tfevents.*
// (tensorboard --logdir <output>/runs); a picture of the curves, redrawn at each validation:
// <output>/plots/metrics.png; checkpoints: <output>/checkpoints/*.safetensors.

using System;
using System.Diagnostics;
using System.IO;
using Digits;
using Dsl;
using Dsl.Samples;

string output = "digits-output";
int epochs = 100, seed = 0, batchSize = 32;
string deviceName = "cpu";
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
        case "--batch-size" when i + 1 < args.Length && int.TryParse(args[i + 1], out int b) && b > 0:
            batchSize = b;
            i++;
            break;
        case "--output" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "--device" when i + 1 < args.Length && SampleDevice.IsName(args[i + 1]):
            deviceName = args[++i];
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: Digits [--epochs N] [--seed S] [--batch-size B] [--output DIRECTORY] [--device cpu|opencl|cuda]");
            return 2;
    }
}

Device device;
try
{
    device = SampleDevice.Open(deviceName);
}
catch (Exception e) when (SampleDevice.IsUnavailable(e))
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
using var _ = device;
// Under mpirun every rank runs this program; rank 0 speaks for the job.
TextWriter console = MpiWorld.LaunchedRank == 0 ? Console.Out : TextWriter.Null;
console.WriteLine($"Device: {device.Name}");

console.WriteLine(DigitsClassifier.Summary);
var clock = Stopwatch.StartNew();
// Only rank 0 logs (see DigitsTraining), so only rank 0 draws.
PlotLogger? plot = MpiWorld.LaunchedRank == 0 ? new PlotLogger(Path.Combine(output, "plots")) : null;
if (plot is not null)
    console.WriteLine($"Metrics plot (redrawn at each validation): {plot.PlotPath}");
var outcome = DigitsTraining.Run(new DigitsTraining.Settings(
    Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"), output, epochs, seed, device, BatchSize: batchSize,
    Loggers: plot is null ? null : [plot]));
console.WriteLine($"{outcome.Examples.Train} train / {outcome.Examples.Validation} validation / {outcome.Examples.Test} test digits");
console.WriteLine($"Stopped after {outcome.Fit.Epochs} epochs ({outcome.Fit.StopReason}), {outcome.Fit.GlobalStep} steps, in {outcome.Fit.Elapsed.TotalSeconds:F1} s");
console.WriteLine($"Best checkpoint: {outcome.BestCheckpoint}");
if (plot is not null)
    console.WriteLine($"Metrics plot: {plot.PlotPath}");
console.WriteLine($"Test accuracy {outcome.Test["test_acc"]:P2}, test loss {outcome.Test["test_loss"]:F4} (wall time {clock.Elapsed.TotalSeconds:F1} s)");
return 0;
