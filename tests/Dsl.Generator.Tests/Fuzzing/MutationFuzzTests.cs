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
    /// <summary>
    /// About 45 s of one core (0.3 s a mutant: one generator run, and one compilation if accepted),
    /// some 25 s on CI's two; a run by hand sets DSL_FUZZ_MUTANTS to thousands.
    /// </summary>
    private const int CiMutants = 150;

    /// <summary>
    /// Folders of model sources, from the repository root, and whether a model there needs the
    /// folder's other files (unmutated) to compile. Each seed compiles as it is, so every failure is a mutation's.
    /// </summary>
    private static readonly (string Folder, bool WithCompanions)[] s_seedFolders =
    {
        ("samples/QuickStart", false), ("samples/Digits", false), ("samples/Calculus", false), ("samples/Gpt/Model", true),
        ("tests/Dsl.EndToEnd.Tests/Models", false), ("tests/Dsl.EndToEnd.Tests/Functions", false),
    };

    [Fact]
    public void MutatedModels_NeverCrashTheGeneratorAndCompileWhenAccepted()
    {
        int mutants = EnvironmentInt("DSL_FUZZ_MUTANTS") ?? CiMutants;
        int seed = EnvironmentInt("DSL_FUZZ_SEED") ?? 15;
        string? keep = Environment.GetEnvironmentVariable("DSL_FUZZ_OUT");
        IReadOnlyList<Seed> seeds = Seeds();

        var verdicts = new (GeneratorVerdict Verdict, string Mutant, string Description)[mutants];
        Parallel.For(0, mutants, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            // One Random per mutant, so mutant i is the same whatever the thread order or the count asked
            // for. Not HashCode.Combine: its hashes are randomised per process, which made CI's mutants
            // differ from run to run.
            var random = new Random(unchecked(seed * 1_000_003 + i));
            Seed model = seeds[random.Next(seeds.Count)];
            var (mutant, edits) = ModelMutator.Mutate(model.Source, random);
            verdicts[i] = (GeneratorVerdict.Of(mutant, model.Companions), mutant, $"mutant {i} of {model.Path} (seed {seed}; {edits})");
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
        foreach (Seed seed in Seeds())
        {
            GeneratorVerdict verdict = GeneratorVerdict.Of(seed.Source, seed.Companions);
            Assert.True(verdict.Kind == VerdictKind.Compiled, $"{seed.Path}: {verdict.Kind} {verdict.Detail}");
        }
    }

    private sealed record Seed(string Path, string Source, string[] Companions);

    private static IReadOnlyList<Seed> Seeds()
    {
        string root = SnapshotTests.RepositoryRoot();
        var seeds = new List<Seed>();
        foreach (var (folder, withCompanions) in s_seedFolders)
        {
            var files = Directory.GetFiles(Path.Combine(root, folder), "*.cs").Order(StringComparer.Ordinal)
                .Select(path => (Path: Path.GetRelativePath(root, path), Text: File.ReadAllText(path))).ToList();
            bool IsModel(string text) => text.Contains("[Model]") || text.Contains("[Module]") || text.Contains("[Differentiable]");
            string[] companions = withCompanions ? files.Where(f => !IsModel(f.Text)).Select(f => f.Text).ToArray() : Array.Empty<string>();
            seeds.AddRange(files.Where(f => IsModel(f.Text)).Select(f => new Seed(f.Path, f.Text, companions)));
        }
        return seeds;
    }

    private static int? EnvironmentInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int value) ? value : null;
}
