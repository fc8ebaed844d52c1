using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Dsl.Generator;
using Dsl.Tests.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Benchmarks;

/// <summary>
/// The generator as the IDE runs it (issue 21): one driver kept across edits, each call running
/// it on the edited compilation. Cases: the Gpt sample (samples/Gpt/Model, two files) and a file
/// of ten models (<see cref="IncrementalModels"/>). Edits: a change of meaning inside one model's
/// method body (only that model re-runs), a comment reworded in the model's file (nothing
/// re-runs), an edit in an unrelated file (nothing re-runs), and a cold run of a fresh driver.
/// Each edit call alternates between the original and the edited text, so every call is an edit,
/// and parses the edited file anew, as the IDE makes a new syntax tree on each keystroke (the
/// generator caches parses by syntax node, so a tree seen before would measure only its cache).
/// </summary>
[MemoryDiagnoser]
public class IncrementalGeneratorBenchmarks
{
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);
    private CSharpCompilation _original = null!;
    private (string Path, string Original, string Edited) _bodyEdit, _commentEdit, _unrelatedEdit;
    private GeneratorDriver _driver = null!;
    private bool _edited;

    /// <summary>"Gpt" (the sample) or "TenModels".</summary>
    [Params("Gpt", "TenModels")]
    public string Case { get; set; } = "Gpt";

    /// <summary>Makes the compilations and runs the driver once on the original, as an open editor has.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (string Path, string Text)[] files;
        string bodyEdited, commentEdited;
        if (Case == "Gpt")
        {
            string directory = Path.Combine(RepositoryRoot(), "samples", "Gpt", "Model");
            string gpt = File.ReadAllText(Path.Combine(directory, "Gpt.cs"));
            files = [("Gpt.cs", gpt), ("SampleModel.cs", File.ReadAllText(Path.Combine(directory, "SampleModel.cs")))];
            bodyEdited = ReplaceOnce(gpt, "Log(\"train_loss\", loss);", "Log(\"loss\", loss);");
            commentEdited = ReplaceOnce(gpt, "// x: [Context, Width]", "// x: the residual stream, [Context, Width]");
        }
        else
        {
            string source = IncrementalModels.TenModels();
            files = [("TenModels.cs", source)];
            bodyEdited = IncrementalModels.RenameMetric(source, 3);
            commentEdited = IncrementalModels.RewordHeaderComment(source);
        }
        const string unrelated = "namespace Elsewhere; public class Unrelated { public int Value => 1; }";
        _original = CSharpCompilation.Create(
            "IncrementalBenchmarkModels",
            [.. files.Select(f => CSharpSyntaxTree.ParseText(f.Text, s_parseOptions, f.Path)), CSharpSyntaxTree.ParseText(unrelated, s_parseOptions, "Unrelated.cs")],
            [.. GeneratorBenchmarks.References(), MetadataReference.CreateFromFile(typeof(Device).Assembly.Location)], // SampleModel.cs names the runtime's types
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _bodyEdit = (files[0].Path, files[0].Text, bodyEdited);
        _commentEdit = (files[0].Path, files[0].Text, commentEdited);
        _unrelatedEdit = ("Unrelated.cs", unrelated, unrelated.Replace("=> 1;", "=> 2; public int Other => 3;", StringComparison.Ordinal));
        _driver = NewDriver().RunGenerators(_original);
        GeneratorDriverRunResult run = _driver.GetRunResult();
        if (run.Results.Single().Exception is { } e || run.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            throw new InvalidOperationException($"{Case}: the generator failed: {string.Join("; ", run.Diagnostics)}", run.Results.Single().Exception);
    }

    /// <summary>A fresh driver on the original compilation: a build, or the IDE opening the project.</summary>
    [Benchmark]
    public int ColdRun() => NewDriver().RunGenerators(_original).GetRunResult().GeneratedTrees.Length;

    /// <summary>A change of meaning inside one model's method body (a metric renamed): that model recompiles. Includes C#'s parse of the file.</summary>
    [Benchmark]
    public int EditInAMethodBody() => Run(Next(_bodyEdit));

    /// <summary>A comment in the model's file reworded: no model recompiles. Includes C#'s parse of the file.</summary>
    [Benchmark]
    public int CommentEdit() => Run(Next(_commentEdit));

    /// <summary>An edit in another file: no model recompiles. Includes C#'s parse of the file.</summary>
    [Benchmark]
    public int UnrelatedEdit() => Run(Next(_unrelatedEdit));

    /// <summary>The next compilation of an edit: the file parsed anew, with the edited text and the original in turn.</summary>
    private CSharpCompilation Next((string Path, string Original, string Edited) edit)
    {
        string text = _edited ? edit.Original : edit.Edited;
        _edited = !_edited;
        return _original.ReplaceSyntaxTree(_original.SyntaxTrees.Single(t => t.FilePath == edit.Path), CSharpSyntaxTree.ParseText(text, s_parseOptions, edit.Path));
    }

    private int Run(CSharpCompilation compilation)
    {
        _driver = _driver.RunGenerators(compilation);
        return _driver.GetRunResult().GeneratedTrees.Length;
    }

    private static GeneratorDriver NewDriver(bool track = false) =>
        CSharpGeneratorDriver.Create([new DslGenerator().AsSourceGenerator()], parseOptions: s_parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    /// <summary>Where an edit's time goes: the tracked steps' elapsed times, summed by step name, largest first.</summary>
    private string StepTimes((string Path, string Original, string Edited) edit)
    {
        _edited = false;
        GeneratorDriver driver = NewDriver(track: true).RunGenerators(_original).RunGenerators(Next(edit)).RunGenerators(Next(edit)).RunGenerators(Next(edit));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        return string.Join(", ", result.TrackedSteps
            .Select(s => (s.Key, Ms: s.Value.Sum(r => r.ElapsedTime.TotalMilliseconds), Runs: s.Value.Length))
            .OrderByDescending(s => s.Ms).Take(6).Select(s => $"{s.Key} {s.Ms:F2} ms/{s.Runs}")) + $"; the generator in all, as the driver times it: {driver.GetTimingInfo().ElapsedTime.TotalMilliseconds:F2} ms";
    }

    /// <summary>
    /// <c>Dsl.Benchmarks generator-incremental [runs] [--warmup N] [cases...]</c>: each case (Gpt, TenModels) and edit run the given number of
    /// times in this process after <c>N</c> unmeasured runs (2 unless told), printing the medians of the wall time and
    /// the process's CPU time (the figure to read on a machine shared with others), and the bytes
    /// allocated per call (which the neighbours do not move). Two warm-up runs leave much of the
    /// generator in the JIT's first tier; an IDE's generator host is long-lived, so <c>--warmup 100</c>
    /// measures the steady state a user typing for a while sees (the tiered JIT has recompiled the hot code).
    /// </summary>
    public static int Measure(string[] args)
    {
        int warmup = 2;
        int flag = Array.IndexOf(args, "--warmup");
        if (flag >= 0)
        {
            warmup = int.Parse(args[flag + 1]);
            args = [.. args[..flag], .. args[(flag + 2)..]];
        }
        int runs = args.Length > 0 ? int.Parse(args[0]) : 21;
        Console.WriteLine("| case | edit | wall median (ms) | CPU median (ms) | wall min (ms) | allocated per call (MB) |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
        var steps = new List<string>();
        foreach (string @case in args.Length > 1 ? args[1..] : new[] { "Gpt", "TenModels" })
        {
            var benchmark = new IncrementalGeneratorBenchmarks { Case = @case };
            benchmark.Setup();
            foreach (var (name, next, generate) in new (string, Func<CSharpCompilation>, Func<CSharpCompilation, int>)[]
            {
                ("cold run", () => benchmark._original, c => NewDriver().RunGenerators(c).GetRunResult().GeneratedTrees.Length),
                ("edit in a method body", () => benchmark.Next(benchmark._bodyEdit), benchmark.Run),
                ("comment edit", () => benchmark.Next(benchmark._commentEdit), benchmark.Run),
                ("unrelated edit", () => benchmark.Next(benchmark._unrelatedEdit), benchmark.Run),
            })
            {
                for (int run = 0; run < Math.Max(warmup + (warmup & 1), 2); run++)
                    generate(next()); // edits and back (an even count), and warm
                var wall = new List<double>();
                var cpu = new List<double>();
                long allocated = 0; // load-independent, unlike the times on a shared machine
                using Process process = Process.GetCurrentProcess();
                for (int run = 0; run < runs; run++)
                {
                    CSharpCompilation compilation = next(); // C#'s parse of the edited file is not the generator's time
                    process.Refresh();
                    TimeSpan before = process.TotalProcessorTime;
                    long allocatedBefore = GC.GetTotalAllocatedBytes();
                    var clock = Stopwatch.StartNew();
                    generate(compilation);
                    wall.Add(clock.Elapsed.TotalMilliseconds);
                    allocated += GC.GetTotalAllocatedBytes() - allocatedBefore;
                    process.Refresh();
                    cpu.Add((process.TotalProcessorTime - before).TotalMilliseconds);
                }
                Console.WriteLine($"| {@case} | {name} | {Median(wall):F1} | {Median(cpu):F1} | {wall.Min():F1} | {allocated / 1e6 / runs:F2} |");
            }
            steps.Add($"{@case}, edit in a method body: {benchmark.StepTimes(benchmark._bodyEdit)}");
            steps.Add($"{@case}, unrelated edit: {benchmark.StepTimes(benchmark._unrelatedEdit)}");
            steps.Add($"{@case}, comment edit: {benchmark.StepTimes(benchmark._commentEdit)}");
        }
        Console.WriteLine();
        Console.WriteLine("The slowest tracked steps of one edit (Roslyn's step timings; the rest is the driver's own work):");
        foreach (string line in steps)
            Console.WriteLine("- " + line);
        return 0;

        static double Median(List<double> values) => values.OrderBy(v => v).ElementAt(values.Count / 2);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Dsl.sln")))
                return directory.FullName;
        throw new InvalidOperationException("No Dsl.sln above " + AppContext.BaseDirectory);
    }

    private static string ReplaceOnce(string text, string oldValue, string newValue)
    {
        int at = text.IndexOf(oldValue, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(oldValue, at + 1, StringComparison.Ordinal) >= 0)
            throw new ArgumentException($"'{oldValue}' is not in the source exactly once.");
        return text.Substring(0, at) + newValue + text.Substring(at + oldValue.Length);
    }
}
