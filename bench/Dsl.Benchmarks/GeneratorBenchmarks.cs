using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Dsl.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Benchmarks;

/// <summary>
/// The generator's own time on a GPT whose blocks are a <c>[Repeat(n)]</c> stack (pre-LN
/// attention and a 4x GELU feed-forward, as samples/Gpt has them), from the attributed source to
/// the three generated files: parse, lower, differentiate, plan and emit. It must grow linearly
/// with the number of layers (issue 15, item 11). Each call runs a fresh driver over the same
/// compilation, as a build that changed the model does; the compilation is made once. The
/// command in bench/RESULTS.md runs it in process (<c>--job short --inProcess</c>): a call takes
/// seconds, and BenchmarkDotNet's own build of a runner project can pass its two-minute limit
/// on a busy machine.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);
    private CSharpCompilation _compilation = null!;

    /// <summary>The number of blocks in the stack.</summary>
    [Params(12, 24, 48, 96)]
    public int Layers { get; set; }

    /// <summary>Parses the model's source and makes its compilation.</summary>
    [GlobalSetup]
    public void Setup() =>
        _compilation = CSharpCompilation.Create(
            "GeneratorBenchmarkModels",
            [CSharpSyntaxTree.ParseText(Source(Layers), s_parseOptions, "Gpt.cs")],
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Runs the generator; returns the characters it generated.</summary>
    [Benchmark]
    public long Generate()
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new DslGenerator().AsSourceGenerator()], parseOptions: s_parseOptions);
        GeneratorDriverRunResult run = driver.RunGenerators(_compilation).GetRunResult();
        // The model's API, CPU program, device program and ONNX export, and its block module's file.
        if (!run.Diagnostics.IsEmpty || run.GeneratedTrees.Length != 5)
            throw new InvalidOperationException($"{Layers} layers: {run.GeneratedTrees.Length} files, diagnostics: {string.Join("; ", run.Diagnostics)}");
        return run.GeneratedTrees.Sum(tree => (long)tree.Length);
    }

    /// <summary>
    /// <c>Dsl.Benchmarks generator-scaling 3,12,24,48,96 5</c>: each depth run the given number of
    /// times in this process (after one run at the deepest, for the JIT), printing the medians of
    /// the process's CPU time and of the wall time. CPU time is the figure to read on a machine
    /// shared with others, where wall time mostly measures the neighbours.
    /// </summary>
    public static int Scaling(string[] args)
    {
        int[] depths = [.. (args.Length > 0 ? args[0] : "3,12,24,48,96").Split(',').Select(int.Parse)];
        int runs = args.Length > 1 ? int.Parse(args[1]) : 5;
        var benchmark = new GeneratorBenchmarks { Layers = depths.Max() };
        benchmark.Setup();
        benchmark.Generate();
        Console.WriteLine("| layers | CPU median (s) | wall median (s) | CPU, each run (s) | generated chars |");
        Console.WriteLine("| ---: | ---: | ---: | --- | ---: |");
        foreach (int depth in depths)
        {
            benchmark = new GeneratorBenchmarks { Layers = depth };
            benchmark.Setup();
            var cpu = new List<double>();
            var wall = new List<double>();
            long chars = 0;
            using Process process = Process.GetCurrentProcess();
            for (int run = 0; run < runs; run++)
            {
                process.Refresh();
                TimeSpan before = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                chars = benchmark.Generate();
                wall.Add(clock.Elapsed.TotalSeconds);
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - before).TotalSeconds);
            }
            Console.WriteLine($"| {depth} | {Median(cpu):F3} | {Median(wall):F3} | {string.Join(", ", cpu.Select(c => c.ToString("F3")))} | {chars:N0} |");
        }
        return 0;

        static double Median(List<double> values) => values.OrderBy(v => v).ElementAt(values.Count / 2);
    }

    /// <summary>The base library and Dsl.Attributes, which is all a model's source needs.</summary>
    internal static MetadataReference[] References() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is var f && (f.StartsWith("System.", StringComparison.Ordinal) || f is "netstandard.dll" or "mscorlib.dll"))
            .Append(typeof(Tensor).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p))];

    /// <summary>samples/Gpt's model with <paramref name="layers"/> blocks (and a context and width of 64).</summary>
    public static string Source(int layers) => $$"""
        using Dsl;
        using static Dsl.Ops;

        namespace GeneratorBenchmarkModels;

        [Module]
        public partial class Block
        {
            [LayerNorm] private partial Tensor Norm1(Tensor x);
            [MultiHeadAttention(Heads = Gpt.Heads, Causal = true, Dropout = 0.1f)] private partial Tensor Attention(Tensor x);
            [LayerNorm] private partial Tensor Norm2(Tensor x);
            [Dense(4 * Gpt.Width)] private partial Tensor Up(Tensor x);
            [Dense(Gpt.Width)] private partial Tensor Down(Tensor x);
            [Dropout(0.1f)] private partial Tensor Drop(Tensor x);

            [Forward]
            public Tensor Forward(Tensor x)
            {
                x = x + Drop(Attention(Norm1(x)));
                x = x + Drop(Down(Gelu(Up(Norm2(x)))));
                return x;
            }
        }

        [Model]
        public partial class Gpt
        {
            public const int Vocab = 256, Context = 64, Width = 64, Heads = 4, Layers = {{layers}};

            [Embedding(Vocab, Width)] private partial Tensor TokenEmbedding(Tokens ids);
            [Embedding(Context, Width)] private partial Tensor PositionEmbedding(Tokens positions);
            [Repeat(Layers)] private partial Block[] Blocks { get; }
            [LayerNorm] private partial Tensor Norm(Tensor x);
            [Dense(Vocab, Bias = false)] private partial Tensor Head(Tensor x);

            [Forward]
            public Tensor Forward([Shape(Context)] Tokens ids)
            {
                var x = TokenEmbedding(ids) + PositionEmbedding(Arange(Context));
                foreach (var block in Blocks)
                    x = block.Forward(x);
                return Head(Norm(x));
            }

            [TrainingStep]
            public Tensor TrainingStep(Tokens ids, Tokens next)
            {
                var loss = CrossEntropy(Forward(ids), next);
                Log("train_loss", loss);
                return loss;
            }

            [ValidationStep]
            public void ValidationStep(Tokens ids, Tokens next) => Log("val_loss", CrossEntropy(Forward(ids), next));

            [Optimizer]
            private static Optimizer Optimizer() => new AdamW(learningRate: 1e-3f, weightDecay: 0.1f) { ClipGradNorm = 1f };
        }
        """;
}
