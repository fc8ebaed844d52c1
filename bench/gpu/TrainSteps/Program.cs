// Times compiled train steps per device and prints one table: for each case and device the median
// step time over --steps timed steps after --warmup untimed ones, and the throughput at that median.
// A device that does not open is reported on stderr and skipped; the exit status is then 1.
//
//   TrainSteps [--device cpu,cuda] [--cases quickstart,mlp1024,gpt] [--steps 20] [--warmup 3]

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Dsl;
using Dsl.Bench.Gpu;
using Dsl.Samples;

string[] devices = ["cpu"];
string[] cases = TrainStepCase.Names;
int steps = 20, warmup = 3;
for (int i = 0; i < args.Length; i++)
{
    string? value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--device" when value is not null && value.Split(',').All(SampleDevice.IsName):
            devices = value.Split(',');
            i++;
            break;
        case "--cases" when value is not null:
            cases = value.Split(',');
            i++;
            break;
        case "--steps" when int.TryParse(value, out int n) && n > 0:
            steps = n;
            i++;
            break;
        case "--warmup" when int.TryParse(value, out int w) && w >= 0:
            warmup = w;
            i++;
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: TrainSteps [--device {SampleDevice.Choices}[,...]] [--cases {string.Join(",", TrainStepCase.Names)}] [--steps N] [--warmup N]");
            return 2;
    }
}

var rows = new List<string[]>();
bool unavailable = false;
foreach (string deviceName in devices)
{
    Device device;
    try
    {
        device = SampleDevice.Open(deviceName);
    }
    catch (Exception e) when (SampleDevice.IsUnavailable(e))
    {
        // The table still shows the devices that opened; the exit status says one did not.
        Console.Error.WriteLine($"{deviceName}: {e.Message}");
        unavailable = true;
        continue;
    }
    using var _ = device;
    Console.Error.WriteLine($"Device: {device.Name}");
    foreach (string name in cases)
    {
        using TrainStepCase run = TrainStepCase.Create(name, device);
        for (int i = 0; i < warmup; i++)
            run.Step();
        var times = new double[steps];
        float loss = 0;
        for (int i = 0; i < steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            loss = run.Step();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        double median = times[steps / 2];
        double examples = run.Batch / (median / 1000);
        rows.Add([run.Model, run.Batch.ToString(), deviceName, device.Name,
            median.ToString("F3"), times[0].ToString("F3"), examples.ToString("F0"),
            run.TokensPerExample > 0 ? (examples * run.TokensPerExample).ToString("F0") : "-", loss.ToString("F4")]);
    }
}

string[] header = ["model", "batch", "device", "device name", "median ms/step", "min ms", "examples/s", "tokens/s", "last loss"];
int[] widths = header.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
Console.WriteLine("| " + string.Join(" | ", header.Select((h, c) => h.PadRight(widths[c]))) + " |");
Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
foreach (string[] row in rows)
    Console.WriteLine("| " + string.Join(" | ", row.Select((v, c) => c is 0 or 2 or 3 ? v.PadRight(widths[c]) : v.PadLeft(widths[c]))) + " |");
return unavailable ? 1 : 0;
