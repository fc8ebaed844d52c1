using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>Runs alone: the test below reads the process's CPU time, which parallel tests would add to.</summary>
[CollectionDefinition(nameof(ScalingTests), DisableParallelization = true)]
public sealed class ScalingCollection
{
}

/// <summary>
/// The generator's time grows linearly with the depth of a <c>[Repeat(n)]</c> stack (issue 15,
/// item 11: a graph hashed whole at every dictionary lookup in the emitters, and buffer planning
/// that scanned every live activation at every step, made it cubic; 24 layers took minutes).
/// </summary>
[Collection(nameof(ScalingTests))]
public class ScalingTests
{
    private static string Model(int layers) => $$"""
        using Dsl;
        using static Dsl.Ops;

        namespace Samples;

        [Module]
        public partial class Block
        {
            [LayerNorm] private partial Tensor Norm(Tensor x);
            [Dense(12)] private partial Tensor Up(Tensor x);
            [Dense(Deep.Width)] private partial Tensor Down(Tensor x);
            [Dropout(0.1f)] private partial Tensor Drop(Tensor x);

            [Forward]
            public Tensor Forward(Tensor x) => x + Drop(Down(Gelu(Up(Norm(x)))));
        }

        [Model]
        public partial class Deep
        {
            public const int Width = 8;

            [Dense(Width)] private partial Tensor In(Tensor x);
            [Repeat({{layers}})] private partial Block[] Blocks { get; }
            [Dense(4)] private partial Tensor Head(Tensor x);

            [Forward]
            public Tensor Forward([Shape(6, 5)] Tensor x)
            {
                var h = In(x);
                foreach (var block in Blocks)
                    h = block.Forward(h);
                return Head(h);
            }

            [TrainingStep]
            public Tensor TrainingStep(Tensor x, Tokens tags) => CrossEntropy(Forward(x), tags);

            [Optimizer]
            private static Optimizer Optimizer() => new Adam(learningRate: 1e-2f);
        }
        """;

    /// <summary>
    /// Four times the layers may cost at most eight times the CPU time: linear is four, quadratic
    /// sixteen (before the fix: 25 times, 4.9 s against 0.19 s; after: about 3). CPU time rather
    /// than wall time, and the least of three runs, so neighbours on the machine add little; a run
    /// at the larger depth first, so neither side pays for the JIT.
    /// </summary>
    [Fact]
    public void FourTimesTheLayersCostAtMostEightTimesTheTime()
    {
        const int Small = 4, Large = 16;
        Generate(Large);
        double small = Enumerable.Range(0, 3).Min(_ => Generate(Small));
        double large = Enumerable.Range(0, 3).Min(_ => Generate(Large));
        Assert.True(large < 8 * small,
            $"{Large} layers took {large:F3} s of CPU time, {large / small:F1} times the {small:F3} s of {Small} layers (linear: 4).");
    }

    /// <summary>Runs the generator once on the model, checks it compiled, and returns the CPU seconds it took.</summary>
    private static double Generate(int layers)
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Model(layers));
        GeneratorDriver driver = GeneratorHarness.Driver();
        using Process process = Process.GetCurrentProcess();
        TimeSpan before = process.TotalProcessorTime;
        GeneratorDriverRunResult run = driver.RunGenerators(compilation).GetRunResult();
        process.Refresh();
        double seconds = (process.TotalProcessorTime - before).TotalSeconds;
        Assert.Empty(run.Diagnostics);
        Assert.Contains(run.GeneratedTrees, tree => tree.FilePath.EndsWith("Deep.Cpu.g.cs", StringComparison.Ordinal));
        return seconds;
    }
}
