// Trains a byte-level language model on the King James Bible with the Trainer and continues a
// prompt with it. Random 128-byte windows of the first 95% of the text train it; disjoint windows
// of the last 5% (a contiguous tail it never trains on) measure it, in nats and bits per byte.
//
//   dotnet run -c Release --project samples/Gpt [-- --steps 4000 --minutes 15 --batch 16 --lr 1e-3 --device cpu|opencl|cuda
//       --seed 0 --val-every 250 --val-batches 0 --checkpoint-dir gpt-output/checkpoints --resume CHECKPOINT
//       --prompt "And God said, " --temperature 0.8 --top-k 40 --generate 400]
//
// --steps is the total of optimizer steps (a resumed run continues to it); --steps 0 --resume C only generates.
// Checkpoints: <checkpoint-dir>/kjv-step=N-val_loss=L.safetensors (the best by validation loss) and last.safetensors;
// metrics: <checkpoint-dir>/../logs/default/version_N/metrics.csv.

using System;
using System.IO;
using Dsl;
using Dsl.Samples;
using Gpt;

GptArguments settings;
try
{
    settings = GptArguments.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(GptArguments.Usage);
    return 2;
}

Device device;
try
{
    device = SampleDevice.Open(settings.Device);
}
catch (Exception e) when (SampleDevice.IsUnavailable(e))
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
using var _ = device;

SampleModel.LearningRate = settings.LearningRate;
ITrainableModel model = SampleModel.Create(settings.Seed);
Console.WriteLine($"Device: {device.Name}");
Console.WriteLine(model.Summary);

TextCorpus corpus = TextCorpus.Load(Path.Combine(AppContext.BaseDirectory, "Data", "kjv.txt.gz"));
var (trainText, heldOutText) = corpus.Split(0.95);
Console.WriteLine($"{corpus.Source}: {corpus.Length:N0} bytes; training on bytes [0, {trainText.Length:N0}), validating on [{heldOutText.Offset:N0}, {corpus.Length:N0})");

string? best = settings.Resume;
if (settings.Steps > 0)
    best = KjvTraining.Run(model, device, settings, trainText, heldOutText);
else
    Console.WriteLine($"Generating from {settings.Resume}");

if (settings.Generate > 0)
{
    try
    {
        model.Parameters.LoadSafeTensors(best!);
    }
    catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }

    using var generator = new TextGenerator(model, device, SampleModel.Context, settings.Temperature, settings.TopK, settings.Seed);
    int[] text = generator.Continue(TextCorpus.Encode(settings.Prompt), settings.Generate);
    Console.WriteLine($"--- {settings.Generate} bytes from {Path.GetFileName(best)} (temperature {settings.Temperature}, top-k {settings.TopK}, seed {settings.Seed}) ---");
    Console.WriteLine(corpus.Decode(text));
}

return 0;
