// Process start to the first finished train step: builds the seed's 10-16-2 classifier, compiles
// it for the CPU at batch 100, runs one train step on a random batch and prints the loss. The
// caller times from spawning the process to reading that line (bench/compare.py).
// With the argument `memory THREADS` it instead reports the peak working set of a 784-1024-1024-10
// training run (PeakMemory.cs), so that figure too is taken both JIT-compiled and NativeAOT.
// With the argument `isa` it prints which SIMD widths the kernels run at (IsaReport.cs): CI runs
// it on the NativeAOT build to check that the build's instruction set reaches the vector kernels.

using System;
using System.Globalization;
using Dsl;
using QuickStart;

if (args is ["memory", var threads])
    return Startup.PeakMemory.Run(int.Parse(threads, CultureInfo.InvariantCulture));
if (args is ["isa"])
    return Startup.IsaReport.Run();

const int Examples = 100, Features = 10;

var random = new Random(7);
float[] x = new float[Examples * Features];
for (int i = 0; i < x.Length; i++)
    x[i] = (float)(random.NextDouble() * 2 - 1);
int[] y = new int[Examples];
for (int i = 0; i < y.Length; i++)
    y[i] = random.Next(2);

using Classifier.Program program = new Classifier(seed: 42).Compile(Device.Cpu, Examples);
float loss = program.TrainStep(x, y);
Console.WriteLine($"loss {loss:R}");
return 0;
