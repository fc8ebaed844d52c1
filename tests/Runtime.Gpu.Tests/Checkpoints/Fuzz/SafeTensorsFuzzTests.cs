using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.Tests.Checkpoints.Fuzz;

/// <summary>
/// Feeds thousands of damaged and hostile variants of a real checkpoint through every public
/// way of loading one: <see cref="SafeTensors.Load"/>, <see cref="ParameterStoreCheckpoints.LoadSafeTensors"/>,
/// and, for files that parse, <see cref="ParameterStoreCheckpoints.CheckCompatible"/> and
/// <see cref="ParameterStoreCheckpoints.LoadFrom"/>. Each either succeeds or throws the documented
/// <see cref="InvalidDataException"/> naming the file; allocates within a bound set by the file's
/// size; and leaves the parameters bit-identical when it fails.
/// </summary>
/// <remarks>
/// CI runs <see cref="CiMutants"/> mutants (a few seconds). For a longer run by hand set
/// <c>DSL_SAFETENSORS_FUZZ_MUTANTS</c> (and <c>DSL_SAFETENSORS_FUZZ_SEED</c> for other mutants).
/// </remarks>
public sealed class SafeTensorsFuzzTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The number of mutants a CI run tries.</summary>
    public const int CiMutants = 2800;

    // The Digits sample's model (64 -> 128 -> 10), as its generated code declares its parameters.
    private static readonly ParameterSpec[] Digits =
    [
        new("hidden.weight", [128, 64], 64),
        new("hidden.bias", [128], 64),
        new("output.weight", [10, 128], 128),
        new("output.bias", [10], 128),
    ];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dsl-st-fuzz-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void EveryMutantLoadsOrFailsWithInvalidDataExceptionWithinBoundedMemoryLeavingTheModelUnchanged()
    {
        Directory.CreateDirectory(_directory);
        int mutants = EnvInt("DSL_SAFETENSORS_FUZZ_MUTANTS", CiMutants);
        int seed = EnvInt("DSL_SAFETENSORS_FUZZ_SEED", 15);

        // The checkpoint: a trained-looking model saved by the project's own writer, with metadata as the Trainer writes it.
        var model = new ParameterStore(Digits, seed: 7);
        string original = Path.Combine(_directory, "digits.safetensors");
        model.SaveSafeTensors(original, new Dictionary<string, string> { ["epoch"] = "3", ["dsl.note"] = "fuzz" });
        var factory = new SafeTensorsMutants(File.ReadAllBytes(original));
        float[] pristine = (float[])model.Buffer.Clone();

        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var random = new Random(seed);
        string path = Path.Combine(_directory, "mutant.safetensors");
        long maxAllocated = 0;
        for (int i = 0; i < mutants; i++)
        {
            (string kind, string description, byte[] bytes) = factory.Make(i, random);
            File.WriteAllBytes(path, bytes);
            string context = $"mutant {i} (seed {seed}), {kind}: {description}";

            SafeTensorsFile? file = Attempt(path, bytes.Length, context, ref maxAllocated, () => SafeTensors.Load(path));
            Count(outcomes, kind, "SafeTensors.Load", file is not null);

            bool loaded = AttemptOnModel(model, pristine, path, bytes.Length, context, ref maxAllocated, () => model.LoadSafeTensors(path));
            Count(outcomes, kind, "LoadSafeTensors", loaded);
            if (file is not null)
            {
                // A file that parses may still not fit the model; these paths are the ones a caller composing files uses.
                Count(outcomes, kind, "CheckCompatible", AttemptOnModel(model, pristine, file.Path, bytes.Length, context, ref maxAllocated, () => model.CheckCompatible(file)));
                Count(outcomes, kind, "LoadFrom", AttemptOnModel(model, pristine, file.Path, bytes.Length, context, ref maxAllocated, () => model.LoadFrom(file)));
                Count(outcomes, kind, "LoadFrom(prefix)", AttemptOnModel(model, pristine, file.Path, bytes.Length, context, ref maxAllocated, () => model.LoadFrom(file, "model.")));
            }
        }

        output.WriteLine($"{mutants} mutants of a {new FileInfo(original).Length}-byte checkpoint, seed {seed}; most bytes one load allocated: {maxAllocated}.");
        foreach ((string key, int count) in outcomes)
            output.WriteLine($"{key}: {count}");
        int rejected = outcomes.Where(o => o.Key.EndsWith("SafeTensors.Load rejected", StringComparison.Ordinal)).Sum(o => o.Value);
        Assert.True(rejected > mutants / 2, $"only {rejected} of {mutants} mutants were rejected by SafeTensors.Load: the mutations are too mild to test anything");
    }

    // Runs a load; it may succeed or throw InvalidDataException naming the file, nothing else.
    private static T? Attempt<T>(string path, long fileLength, string context, ref long maxAllocated, Func<T> load)
        where T : class
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        T? result = null;
        try
        {
            result = load();
        }
        catch (InvalidDataException e)
        {
            Assert.True(e.Message.StartsWith(path + ": ", StringComparison.Ordinal), $"{context}: the message does not start with the path: {e.Message}");
        }
        catch (Exception e)
        {
            Assert.Fail($"{context}: {e.GetType().Name} instead of InvalidDataException: {e}");
        }

        CheckAllocation(GC.GetAllocatedBytesForCurrentThread() - before, fileLength, context, ref maxAllocated);
        return result;
    }

    // As Attempt, and on failure the parameters must be exactly as they were; on success they are put back.
    private static bool AttemptOnModel(ParameterStore model, float[] pristine, string path, long fileLength, string context, ref long maxAllocated, Action load)
    {
        bool loaded = Attempt(path, fileLength, context, ref maxAllocated, () =>
        {
            load();
            return "loaded";
        }) is not null;
        // Compared as bits: NaN payloads and the sign of zero count as changes.
        if (!loaded)
            Assert.True(MemoryMarshal.AsBytes(model.Buffer.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(pristine.AsSpan())), $"{context}: a failed load changed the parameters");
        else
            model.CopyFrom(pristine);
        return loaded;
    }

    // Loading holds the file's bytes once as tensors, plus the header parsed as JSON and the
    // reader's buffers: a few times the file, never what the header claims.
    private static void CheckAllocation(long allocated, long fileLength, string context, ref long maxAllocated)
    {
        long bound = 4 * fileLength + (1 << 20);
        maxAllocated = Math.Max(maxAllocated, allocated);
        Assert.True(allocated <= bound, $"{context}: allocated {allocated} bytes for a {fileLength}-byte file (bound {bound})");
    }

    private static void Count(SortedDictionary<string, int> outcomes, string kind, string api, bool loaded)
    {
        string key = $"{kind,-14} {api} {(loaded ? "loaded" : "rejected")}";
        outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
    }

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
