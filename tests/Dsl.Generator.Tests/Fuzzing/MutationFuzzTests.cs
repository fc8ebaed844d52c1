using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.Generator.Tests.Fuzzing;

/// <summary>
/// Mutates the samples' and the tests' models the way a user edits them while typing and runs the
/// generator over each mutant: it must never throw or report DSL9999, and every mutant it accepts
/// without a DSL error must compile. CI runs a bounded number of mutants; for a longer run by hand,
/// set <c>DSL_FUZZ_MUTANTS</c> (and <c>DSL_FUZZ_SEED</c> for other mutants, <c>DSL_FUZZ_OUT</c> to a
/// folder to keep each failing mutant's source).
/// </summary>
public class MutationFuzzTests(ITestOutputHelper output)
{
    /// <summary>About 30 s of one core in CI; each mutant is one generator run and one compilation.</summary>
    private const int CiMutants = 300;

    /// <summary>Model sources from the repository root: each compiles on its own, so every failure is the mutation's.</summary>
    private static readonly string[] s_seedFolders =
    {
        "samples/QuickStart", "samples/Digits", "samples/Calculus", "samples/Gpt/Model",
        "tests/Dsl.EndToEnd.Tests/Models", "tests/Dsl.EndToEnd.Tests/Functions",
    };

    [Fact]
    public void MutatedModels_NeverCrashTheGeneratorAndCompileWhenAccepted()
    {
        int mutants = EnvironmentInt("DSL_FUZZ_MUTANTS") ?? CiMutants;
        int seed = EnvironmentInt("DSL_FUZZ_SEED") ?? 15;
        string? keep = Environment.GetEnvironmentVariable("DSL_FUZZ_OUT");
        IReadOnlyList<(string Path, string Source)> seeds = Seeds();

        var verdicts = new (GeneratorVerdict Verdict, string Mutant, string Description)[mutants];
        Parallel.For(0, mutants, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            // One Random per mutant, so mutant i is the same whatever the thread order or the count asked for.
            var random = new Random(HashCode.Combine(seed, i));
            var (path, source) = seeds[random.Next(seeds.Count)];
            var (mutant, edits) = ModelMutator.Mutate(source, random);
            verdicts[i] = (GeneratorVerdict.Of(mutant), mutant, $"mutant {i} of {path} (seed {seed}; {edits})");
        });

        var counts = verdicts.GroupBy(v => v.Verdict.Kind).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{mutants} mutants of {seeds.Count} models (seed {seed}): " +
            string.Join(", ", Enum.GetValues<VerdictKind>().Select(k => $"{k} {counts.GetValueOrDefault(k)}")));

        var failures = verdicts.Where(v => v.Verdict.IsFailure).ToList();
        if (keep is not null)
        {
            Directory.CreateDirectory(keep);
            foreach (var f in failures)
                File.WriteAllText(Path.Combine(keep, f.Verdict.Kind + "-" + f.Description.Split(' ')[1] + ".cs"), "// " + f.Description + "\n// " + f.Verdict.Detail.Replace("\n", "\n// ") + "\n" + f.Mutant);
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(5).Select(f => $"{f.Description}: {f.Verdict.Kind}\n{f.Verdict.Detail}")));
    }

    /// <summary>The seeds themselves are valid: a fuzz failure is then always the mutation's doing.</summary>
    [Fact]
    public void EverySeedModelCompiles()
    {
        foreach (var (path, source) in Seeds())
        {
            GeneratorVerdict verdict = GeneratorVerdict.Of(source);
            Assert.True(verdict.Kind == VerdictKind.Compiled, $"{path}: {verdict.Kind} {verdict.Detail}");
        }
    }

    private static IReadOnlyList<(string Path, string Source)> Seeds()
    {
        string root = SnapshotTests.RepositoryRoot();
        return s_seedFolders
            .SelectMany(folder => Directory.GetFiles(Path.Combine(root, folder), "*.cs").Order(StringComparer.Ordinal))
            .Select(path => (Path.GetRelativePath(root, path), File.ReadAllText(path)))
            .Where(s => s.Item2.Contains("[Model]") || s.Item2.Contains("[Module]") || s.Item2.Contains("[Differentiable]"))
            .ToList();
    }

    private static int? EnvironmentInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int value) ? value : null;
}
