// Writes, for each model, a batch, the initial parameters and the losses of a few compiled
// training steps to one JSON file; parity.py replays the run in PyTorch from the same start.
//   dotnet run -c Release --project bench/Parity -- parity.json

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Dsl;
using Dsl.EndToEnd.Tests.Models;
using QuickStart;

const int Steps = 20, Batch = 32;
var random = new Random(123);
float[] Uniform(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
int[] Classes(int n, int k) => Enumerable.Range(0, n).Select(_ => random.Next(k)).ToArray();

var runs = new Dictionary<string, object>();

{
    var model = new Classifier(seed: 1);
    float[] x = Uniform(Batch * 10); int[] y = Classes(Batch, 2);
    var initial = Snapshot(model.Parameters);
    using var program = model.Compile(Device.Cpu, Batch);
    float[] losses = Enumerable.Range(0, Steps).Select(_ => program.TrainStep(x, y)).ToArray();
    runs["classifier"] = new { x, y, initial, losses, final = Snapshot(model.Parameters) };
}
{
    var model = new Regressor(seed: 2);
    float[] x = Uniform(Batch * 5), t = Uniform(Batch * 3);
    var initial = Snapshot(model.Parameters);
    using var program = model.Compile(Device.Cpu, Batch);
    float[] losses = Enumerable.Range(0, Steps).Select(_ => program.TrainStep(x, t)).ToArray();
    runs["regressor"] = new { x, t, initial, losses, final = Snapshot(model.Parameters) };
}
{
    var model = new Attentive(seed: 3);
    float[] x = Uniform(Batch * 6); int[] y = Classes(Batch, 4);
    var initial = Snapshot(model.Parameters);
    using var program = model.Compile(Device.Cpu, Batch);
    float[] losses = Enumerable.Range(0, Steps).Select(_ => program.TrainStep(x, y)).ToArray();
    runs["attentive"] = new { x, y, initial, losses, final = Snapshot(model.Parameters) };
}

string path = args.Length > 0 ? args[0] : "parity.json";
File.WriteAllText(path, JsonSerializer.Serialize(runs));
Console.WriteLine($"wrote {path}");

static Dictionary<string, float[]> Snapshot(ParameterStore parameters) =>
    parameters.Parameters.ToDictionary(p => p.Name, p => parameters[p.Name].ToArray());
