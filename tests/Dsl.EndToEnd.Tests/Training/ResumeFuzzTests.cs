using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using Dsl.EndToEnd.Tests.Models;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.Training;

/// <summary>
/// Resumes from hundreds of mutants of a real checkpoint (bit flips, truncations, header lengths,
/// header edits, and hostile values for every <c>dsl.*</c> field and callback state) and holds
/// Fit to its contract: it succeeds, or throws <see cref="InvalidCheckpointException"/> naming the
/// file with the parameters, the optimizer state and the callbacks bit-identical to before.
/// </summary>
/// <remarks>
/// In CI every field gets <see cref="DefaultValuesPerField"/> of the hostile values (rotated, so
/// that each value is used on some field) and <see cref="DefaultRandomMutants"/> random mutants
/// run: a few seconds. For a longer run by hand set <c>DSL_RESUME_FUZZ_FULL=1</c> (every value on
/// every field), <c>DSL_RESUME_FUZZ_MUTANTS</c> (random mutants) and <c>DSL_RESUME_FUZZ_SEED</c>.
/// </remarks>
public sealed class ResumeFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int DefaultRandomMutants = 100;
    private const int DefaultValuesPerField = 3;
    private const int DefaultSeed = 15;

    /// <summary>Values of every kind a field could hold instead of the right one.</summary>
    private static readonly string[] HostileJson =
    [
        "null", "true", "\"\"", "\"text\"", "0", "-1", "1.5", "1e308", "-1e308", "2147483648", "9223372036854775808",
        "[]", "{}", "[1, 2, 3]", "{\"a\": null}", "\"NaN\"", "\"Infinity\"", "\"-1\"", "\"/etc/passwd\"", "\"../../victim.safetensors\"",
    ];

    /// <summary>Texts for metadata values, which the format stores as strings.</summary>
    private static readonly string[] HostileText =
    [
        "", "-1", "0", "1.5", " 1", "+1", "1e3", "0x10", "\u0663", "2147483647", "2147483648", "9223372036854775807",
        "99999999999999999999", "abc", "null", "{}", "[]", "{\"a\":1,\"a\":2}", "{", new string('[', 5000), new string('x', 100_000),
    ];

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private sealed record Mutant(string Description, byte[] Bytes);

    /// <summary>Everything a failed resume must leave exactly as it was.</summary>
    private sealed record Snapshot(int[] Parameters, int[][] Buffers, long Step, string[] Callbacks)
    {
        public bool SameAs(Snapshot other) =>
            Parameters.SequenceEqual(other.Parameters) && Step == other.Step && Callbacks.SequenceEqual(other.Callbacks)
            && Buffers.Length == other.Buffers.Length && Buffers.Zip(other.Buffers).All(p => p.First.SequenceEqual(p.Second));
    }

    [Fact]
    public void EveryMutantResumesOrIsRefusedWithTheModelUnchanged()
    {
        int randomMutants = EnvironmentInt("DSL_RESUME_FUZZ_MUTANTS", DefaultRandomMutants);
        int seed = EnvironmentInt("DSL_RESUME_FUZZ_SEED", DefaultSeed);
        int valuesPerField = EnvironmentInt("DSL_RESUME_FUZZ_FULL", 0) == 1 ? int.MaxValue : DefaultValuesPerField;
        var train = new DataLoader(Blobs.Make(96, 4, 3, seed: 1), 16, shuffle: true, seed: 2);
        var validation = new DataLoader(Blobs.Make(30, 4, 3, seed: 2), 10);
        var options = new TrainerOptions { MaxEpochs = 1, EnableProgressBar = false };
        options.Callbacks.Add(new EarlyStopping("val_loss", patience: 50));
        options.Callbacks.Add(new ModelCheckpoint(_directory["run"], monitor: "val_loss", saveTopK: 2, saveLast: true));
        var model = new ScheduledClassifier(seed: 1);
        using var trainer = new Trainer(options);
        trainer.Fit(model, train, validation);
        string source = _directory["source.safetensors"];
        trainer.SaveCheckpoint(source);
        Snapshot trained = Capture(trainer, model, options);

        string path = _directory["mutant.safetensors"];
        var failures = new List<string>();
        int resumed = 0, refused = 0, tried = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (Mutant mutant in Mutants(source, new Random(seed), randomMutants, valuesPerField))
        {
            tried++;
            File.WriteAllBytes(path, mutant.Bytes);
            Snapshot before = Capture(trainer, model, options);
            try
            {
                trainer.Fit(model, train, validation, resumeFrom: path);
                resumed++;
                Restore(trained, trainer, model, options);
            }
            catch (InvalidCheckpointException e)
            {
                refused++;
                if (!e.Message.StartsWith(path + ": ", StringComparison.Ordinal) || e.Path != path)
                    failures.Add($"{mutant.Description}: the message does not start with the file: {e.Message}");
                if (!Capture(trainer, model, options).SameAs(before))
                    failures.Add($"{mutant.Description}: refused ({e.Field}) but changed the model, optimizer or callbacks");
            }
            catch (Exception e)
            {
                failures.Add($"{mutant.Description}: {e.GetType().Name}: {e.Message}");
                Restore(trained, trainer, model, options);
            }
        }

        output.WriteLine($"{tried} mutants in {clock.Elapsed.TotalSeconds:F1} s: {resumed} resumed, {refused} refused, {failures.Count} contract violations (seed {seed}, {randomMutants} random, {(valuesPerField == int.MaxValue ? "all" : valuesPerField)} values per field).");
        foreach (string failure in failures.Take(40))
            output.WriteLine(failure);
        Assert.Empty(failures);
        Assert.True(resumed > 0 && refused > 0, "the mutants should include both valid and invalid files");
    }

    private static IEnumerable<Mutant> Mutants(string source, Random random, int randomCount, int valuesPerField)
    {
        byte[] bytes = File.ReadAllBytes(source);
        var metadata = new Dictionary<string, string>(SafeTensors.Load(source).Metadata, StringComparer.Ordinal);
        IEnumerable<Mutant> structured = MetadataMutants(source, metadata, valuesPerField).Concat(HeaderMutants(bytes));
        return structured.Concat(ByteMutants(bytes, random, randomCount));
    }

    /// <summary>Every metadata key removed or set to hostile text; every member of the JSON-valued keys removed or of the wrong kind.</summary>
    private static IEnumerable<Mutant> MetadataMutants(string source, Dictionary<string, string> metadata, int valuesPerField)
    {
        int field = 0;
        IEnumerable<string> Some(string[] values) =>
            valuesPerField >= values.Length ? values : Enumerable.Range(field++ * valuesPerField, valuesPerField).Select(i => values[i % values.Length]);

        SafeTensorsFile file = SafeTensors.Load(source);
        Mutant Edited(string target, string? value)
        {
            var edited = new Dictionary<string, string>(metadata, StringComparer.Ordinal);
            CheckpointEdits.Edit(edited, target, value);
            string written = Path.Combine(Path.GetDirectoryName(source)!, "edited.safetensors");
            SafeTensors.Save(written, file.Values, edited);
            string shown = value is null ? "removed" : value.Length > 40 ? value[..40] + "..." : value;
            return new Mutant($"{target} = {shown}", File.ReadAllBytes(written));
        }

        foreach (string key in metadata.Keys.Order(StringComparer.Ordinal))
        {
            yield return Edited(key, null);
            foreach (string text in Some(HostileText))
                yield return Edited(key, text);
            if (!metadata[key].StartsWith('{'))
                continue;
            foreach (string target in CheckpointEdits.Paths(key, JsonNode.Parse(metadata[key])))
            {
                yield return Edited(target, null);
                foreach (string json in Some(HostileJson))
                    yield return Edited(target, json);
            }
        }
    }

    /// <summary>Header lengths, truncations, and edits of the header's dtypes, shapes and offsets.</summary>
    private static IEnumerable<Mutant> HeaderMutants(byte[] bytes)
    {
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        foreach (long length in new[] { 0L, 1, 2, headerLength - 1, headerLength + 1, headerLength + 8, bytes.Length, int.MaxValue, 1L << 40, long.MaxValue, -1 })
        {
            byte[] copy = (byte[])bytes.Clone();
            BinaryPrimitives.WriteInt64LittleEndian(copy, length);
            yield return new Mutant($"header length {length}", copy);
        }

        foreach (long cut in new[] { 0L, 1, 7, 8, 9, headerLength, headerLength + 7, headerLength + 8, headerLength + 9, bytes.Length - 4, bytes.Length - 1 })
            yield return new Mutant($"truncated to {cut} bytes", bytes[..(int)Math.Min(cut, bytes.Length)]);
        yield return new Mutant("a byte appended", [.. bytes, 0]);

        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        (string From, string To)[] edits =
        [
            ("\"F32\"", "\"F16\""), ("\"F32\"", "\"F64\""), ("\"F32\"", "\"BF16\""), ("\"F32\"", "\"I64\""), ("\"F32\"", "\"BOOL\""),
            ("\"F32\"", "\"Q4\""), ("\"F32\"", "null"), ("[8,4]", "[4,8]"), ("[8,4]", "[8,5]"), ("[8,4]", "[2147483647,2147483647]"),
            ("[8,4]", "[-1,4]"), ("[8,4]", "[]"), ("\"data_offsets\":[0,", "\"data_offsets\":[4,"), ("\"data_offsets\":[0,", "\"data_offsets\":[-8,"),
            ("\"hidden.weight\"", "\"hidden.weight\\ud800\""), ("\"hidden.weight\"", "\"optimizer/exp_avg/hidden.bias\""),
            ("\"hidden.weight\"", "\"optimizer/momentum_buffer/hidden.weight\""), ("\"__metadata__\"", "\"__metadata_\""),
        ];
        foreach (var (from, to) in edits)
        {
            int at = header.IndexOf(from, StringComparison.Ordinal);
            if (at >= 0)
                yield return new Mutant($"header {from} -> {to}", WithHeader(bytes, headerLength, header[..at] + to + header[(at + from.Length)..]));
        }
    }

    private static IEnumerable<Mutant> ByteMutants(byte[] bytes, Random random, int count)
    {
        for (int i = 0; i < count; i++)
        {
            byte[] copy = (byte[])bytes.Clone();
            int flips = 1 + random.Next(3);
            var where = new List<string>();
            for (int f = 0; f < flips; f++)
            {
                // Half the flips land in the 8-byte length and the header, where a flip changes meaning.
                int position = random.Next(2) == 0 ? random.Next(bytes.Length) : random.Next((int)Math.Min(bytes.Length, 8 + BinaryPrimitives.ReadInt64LittleEndian(bytes)));
                copy[position] ^= (byte)(1 << random.Next(8));
                where.Add(position.ToString(CultureInfo.InvariantCulture));
            }

            yield return random.Next(10) == 0
                ? new Mutant($"bits flipped at {string.Join(",", where)}, truncated", copy[..random.Next(copy.Length)])
                : new Mutant($"bits flipped at {string.Join(",", where)}", copy);
        }
    }

    private static byte[] WithHeader(byte[] bytes, long oldLength, string header)
    {
        byte[] text = Encoding.UTF8.GetBytes(header);
        var result = new byte[8 + text.Length + (bytes.Length - 8 - oldLength)];
        BinaryPrimitives.WriteInt64LittleEndian(result, text.Length);
        text.CopyTo(result, 8);
        bytes.AsSpan((int)(8 + oldLength)).CopyTo(result.AsSpan(8 + text.Length));
        return result;
    }

    private static Snapshot Capture(Trainer trainer, ScheduledClassifier model, TrainerOptions options) => new(
        Bits(model.Parameters.Buffer),
        trainer.OptimizerState!.Buffers.Select(b => Bits(b.Values.Span)).ToArray(),
        trainer.OptimizerState.Step,
        options.Callbacks.Select(c => c.SaveState()?.ToJsonString() ?? "").ToArray());

    /// <summary>Puts the trained state back after a mutant that resumed (and so loaded its own values).</summary>
    private static void Restore(Snapshot snapshot, Trainer trainer, ScheduledClassifier model, TrainerOptions options)
    {
        Floats(snapshot.Parameters).CopyTo(model.Parameters.Buffer.AsSpan());
        for (int i = 0; i < snapshot.Buffers.Length; i++)
            Floats(snapshot.Buffers[i]).CopyTo(trainer.OptimizerState!.Buffers[i].Values.Span);
        trainer.OptimizerState!.Step = snapshot.Step;
        for (int i = 0; i < options.Callbacks.Count; i++)
            if (snapshot.Callbacks[i].Length > 0)
                options.Callbacks[i].LoadState((JsonObject)JsonNode.Parse(snapshot.Callbacks[i])!);
    }

    private static int[] Bits(ReadOnlySpan<float> values)
    {
        var bits = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
            bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        return bits;
    }

    private static float[] Floats(int[] bits) => bits.Select(BitConverter.Int32BitsToSingle).ToArray();

    private static int EnvironmentInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
