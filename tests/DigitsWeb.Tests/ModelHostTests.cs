using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace DigitsWeb.Tests;

/// <summary>The served model: the shipped checkpoint, corrections, versions, saving, concurrency.</summary>
public sealed class ModelHostTests
{
    [Fact]
    public async Task TheShippedCheckpointClassifiesAtLeast96PercentOfTheHeldOutTestSplit()
    {
        await using AppServer server = await AppServer.StartAsync();
        double accuracy = Accuracy(server.Model, out int total);
        Assert.Equal(269, total);
        // samples/Digits reports 96.65% (260 of 269) for this checkpoint; model/README.md.
        Assert.True(accuracy >= 0.96, $"the shipped checkpoint classifies {accuracy:P2} of the test split");
    }

    [Fact]
    public async Task ACorrectionPublishesTheNextVersionAndTheNextPredictionUsesIt()
    {
        await using AppServer server = await AppServer.StartAsync();
        int index = await TestDigits.FirstRecognisedAsync(server.Model, 7);
        float[] bitmap = TestDigits.Bitmap(TestDigits.Counts[index]);

        PredictionResponse before = await server.PredictAsync(bitmap);
        Assert.Equal(7, before.Digit);
        Assert.Equal(0, before.Version);

        // Teach it the drawing is a 1: the probability of 1 must rise, and a fresh /predict must
        // answer with the new version's numbers, not the old ones.
        CorrectionResponse corrected = await server.CorrectAsync(bitmap, 1);
        PredictionResponse after = await server.PredictAsync(bitmap);

        Assert.Equal(1, corrected.Version);
        Assert.Equal(1, after.Version);
        Assert.True(after.Probabilities[1] > before.Probabilities[1], $"P(1) went from {before.Probabilities[1]} to {after.Probabilities[1]}");
        Assert.Equal(corrected.Prediction.Probabilities, after.Probabilities);
        Assert.NotEqual(before.Probabilities, after.Probabilities);
    }

    [Fact]
    public async Task TenWrongCorrectionsDoNotWreckTheModelBecauseOfTheReplayBatch()
    {
        await using AppServer server = await AppServer.StartAsync();
        // Ten different 7s, each "corrected" to 1: the worst a careless user can do.
        int[] sevens = Enumerable.Range(0, TestDigits.Labels.Length).Where(i => TestDigits.Labels[i] == 7).Take(10).ToArray();
        foreach (int i in sevens)
            server.Model.Correct(TestDigits.Features(i), 1);

        Assert.Equal(10, server.Model.Version);
        double accuracy = Accuracy(server.Model, out _);
        Assert.True(accuracy >= 0.85, $"test accuracy fell to {accuracy:P1} after ten wrong corrections");
    }

    [Fact]
    public async Task PredictionsDuringCorrectionsEachSeeOneWholeVersion()
    {
        await using AppServer server = await AppServer.StartAsync("--predictors", "4");
        DigitsModelHost model = server.Model;
        float[] features = TestDigits.Features(TestDigits.FirstOf(3));
        var seen = new ConcurrentDictionary<long, float[]>();
        var mismatches = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();

        // Four readers predict the same drawing as fast as they can while corrections publish
        // versions. Predict is deterministic, so every answer for one version must be that
        // version's answer to the bit: a prediction that read parameters mid-update would not be.
        Task[] readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var (p, version) = await model.PredictAsync(features);
                float[] first = seen.GetOrAdd(version, p);
                if (!first.AsSpan().SequenceEqual(p))
                    mismatches.Enqueue($"version {version}: {string.Join(",", p)} vs {string.Join(",", first)}");
            }
        })).ToArray();

        // Each correction waits until the readers have answered from the version before it, so that
        // every version is read however the machine schedules the readers (a fast machine could
        // otherwise publish all eight before the first reader started).
        for (int i = 0; i < 8; i++)
        {
            await SeenAsync(seen, version: i, readers);
            model.Correct(TestDigits.Features(i), TestDigits.Labels[(i + 1) % TestDigits.Labels.Length] % 10);
        }
        await SeenAsync(seen, version: 8, readers);
        stop.Cancel();
        await Task.WhenAll(readers);

        Assert.Empty(mismatches);
        Assert.Equal(8, model.Version);
        Assert.Equal(Enumerable.Range(0, 9).Select(v => (long)v), seen.Keys.Order());
        Assert.InRange(model.Predictors, 1, 4);
        // And each version's answer is what a fresh predict computes from that version now.
        var (latest, latestVersion) = await model.PredictAsync(features);
        Assert.Equal(8, latestVersion);
        if (seen.TryGetValue(8, out float[]? seenLatest))
            Assert.Equal(seenLatest, latest);
    }

    [Fact]
    public async Task ASaveThatFailsHalfwayLeavesThePreviousCheckpointWhole()
    {
        await using AppServer server = await AppServer.StartAsync();
        DigitsModelHost model = server.Model;
        byte[] previous = File.ReadAllBytes(server.Checkpoint);
        model.Correct(TestDigits.Features(0), TestDigits.Labels[0]);

        var failure = Assert.Throws<IOException>(() => model.Save(wrap: stream => new FailingStream(stream, failAfter: previous.Length / 2)));

        Assert.Contains("disk full", failure.Message);
        Assert.Equal(previous, File.ReadAllBytes(server.Checkpoint));
        Assert.Equal(new[] { "digits.safetensors" }, Directory.GetFiles(server.Folder).Select(Path.GetFileName));

        // A save that succeeds replaces it, and the file loads back as version 1's parameters.
        var (path, version) = model.Save();
        Assert.Equal(server.Checkpoint, path);
        Assert.Equal(1, version);
        Assert.NotEqual(previous, File.ReadAllBytes(server.Checkpoint));
        await using AppServer reloaded = await AppServer.StartAsync("--checkpoint", server.Checkpoint);
        float[] features = TestDigits.Features(5);
        Assert.Equal((await model.PredictAsync(features)).Probabilities, (await reloaded.Model.PredictAsync(features)).Probabilities);
    }

    [Fact]
    public void AMissingCheckpointIsNamedWithHowToMakeIt()
    {
        string missing = Path.Combine(Path.GetTempPath(), "digitsweb-no-such-" + Guid.NewGuid().ToString("N"), "digits.safetensors");
        var error = Assert.Throws<FileNotFoundException>(() =>
            DigitsWebApp.Build(new[] { "--urls", "http://127.0.0.1:0", "--checkpoint", missing, "--data", TestDigits.DataPath }));
        Assert.Contains($"No checkpoint at '{missing}'", error.Message);
        Assert.Contains("dotnet run --project samples/Digits -- --output DIR", error.Message);
        Assert.Equal(missing, error.FileName);
    }

    private static double Accuracy(DigitsModelHost model, out int total)
    {
        int right = 0;
        total = TestDigits.Labels.Length;
        for (int i = 0; i < total; i++)
        {
            float[] p = model.PredictAsync(TestDigits.Features(i)).AsTask().GetAwaiter().GetResult().Probabilities;
            if (Array.IndexOf(p, p.Max()) == TestDigits.Labels[i])
                right++;
        }

        return (double)right / total;
    }

    /// <summary>Passes writes through until a byte budget runs out, then fails as a full disk would.</summary>
    private sealed class FailingStream(Stream inner, int failAfter) : Stream
    {
        private int _left = failAfter;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            int now = Math.Min(_left, buffer.Length);
            inner.Write(buffer[..now]);
            _left -= now;
            if (now < buffer.Length)
                throw new IOException("No space left on device (disk full, simulated by the test).");
        }
    }

    /// <summary>Waits until a reader has answered from <paramref name="version"/>; fails after a minute, or when every reader has stopped.</summary>
    private static async Task SeenAsync(ConcurrentDictionary<long, float[]> seen, long version, Task[] readers)
    {
        var waited = Stopwatch.StartNew();
        while (!seen.ContainsKey(version))
        {
            if (readers.All(r => r.IsCompleted))
                await Task.WhenAll(readers); // a reader's exception, not a timeout
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), $"no reader answered from version {version} within a minute (seen: {string.Join(", ", seen.Keys.Order())})");
            await Task.Delay(1);
        }
    }
}
