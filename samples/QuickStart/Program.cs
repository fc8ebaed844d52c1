// The seed article's example (PyTorch vs Lightning, section 4): a 10 -> 16 -> ReLU -> 2 classifier
// trained with cross-entropy and Adam(1e-3) on 100 random examples, full batch, printing the train
// and validation loss of each epoch. The model is Classifier.cs; the loop is the Trainer's, as
// `trainer.fit(model, train_loader, val_loader)` is Lightning's.
//
//   dotnet run --project samples/QuickStart [-- EPOCHS] [--device cpu|opencl]

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
var data = ArrayDataset.FromFeatures(x, Features, y);

var model = new Classifier(seed: 42);
Console.WriteLine(Classifier.Summary);
Console.WriteLine();

int epochs = 300;
string deviceName = "cpu";
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--device" && i + 1 < args.Length && args[i + 1] is "cpu" or "opencl")
        deviceName = args[++i];
    else if (int.TryParse(args[i], out int n) && n > 0)
        epochs = n;
    else
    {
        Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: QuickStart [EPOCHS] [--device cpu|opencl]");
        return 2;
    }
}

Device device;
try
{
    device = deviceName == "opencl" ? Device.OpenCL() : Device.Cpu;
}
catch (OpenClUnavailableException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
using var _ = device;
Console.WriteLine($"Device: {device.Name}");

using var trainer = new Trainer(new TrainerOptions
{
    MaxEpochs = epochs,
    Device = device,
    EnableProgressBar = false,            // the callback below prints the seed's lines instead
    Callbacks = { new PrintEpochs() },
});
// The same data for validation: "just a demonstration - not a separate set", as in the seed.
trainer.Fit(model, new DataLoader(data, batchSize: Examples), new DataLoader(data, batchSize: Examples));
return 0;

// A standard normal sample (Box-Muller), as torch.randn draws.
static float Normal(Random random) =>
    (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

/// <summary>Prints the first five epochs and every 50th, as the seed's loop does.</summary>
sealed class PrintEpochs : Callback
{
    public override void OnTrainEpochEnd(Trainer trainer, ITrainableModel model)
    {
        int epoch = trainer.CurrentEpoch + 1;
        if (epoch > 5 && epoch % 50 != 0)
            return;
        MetricValues m = trainer.CallbackMetrics;
        Console.WriteLine($"Epoch: {epoch}, Train Loss: {m["train_loss"]:F4}, Val Loss: {m["val_loss"]:F4}, Val Acc: {m["val_acc"]:P0}");
        if (epoch == 5 && trainer.Options.MaxEpochs > 5)
            Console.WriteLine("... and then more:");
    }
}
