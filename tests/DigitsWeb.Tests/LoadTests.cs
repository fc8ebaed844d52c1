using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DigitsWeb.Tests;

/// <summary>
/// Many predict clients on loopback for a bounded time while corrections train: no errors, and
/// the figures (requests/s, p50, p99) in the test output. <c>DIGITSWEB_LOAD_SECONDS</c> and
/// <c>DIGITSWEB_LOAD_CLIENTS</c> lengthen it (3 s and 8 clients by default, to stay quick in CI);
/// <c>DIGITSWEB_LOAD_URL</c> aims it at a server already running (the NativeAOT binary) instead of
/// the app started in this process.
/// </summary>
public sealed class LoadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ConcurrentPredictionsWhileCorrectionsTrainAllSucceed()
    {
        double seconds = double.Parse(Environment.GetEnvironmentVariable("DIGITSWEB_LOAD_SECONDS") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
        int clients = int.Parse(Environment.GetEnvironmentVariable("DIGITSWEB_LOAD_CLIENTS") ?? "8", System.Globalization.CultureInfo.InvariantCulture);
        string? url = Environment.GetEnvironmentVariable("DIGITSWEB_LOAD_URL");
        await using AppServer? server = url is null ? await AppServer.StartAsync() : null;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients + 1 }) { BaseAddress = server?.Address ?? new Uri(url!) };
        float[][] drawings = TestDigits.Counts.Select(TestDigits.Bitmap).ToArray();

        // Warm up (JIT, the first predictors) outside the timed window.
        (await http.PostAsJsonAsync("/predict", new DrawingRequest { Pixels = drawings[0] }, DigitsJson.Default.DrawingRequest)).EnsureSuccessStatusCode();
        long startVersion = (await http.GetFromJsonAsync("/model", DigitsJson.Default.ModelInfo))!.Version;

        var latencies = new ConcurrentBag<double>();
        var errors = new ConcurrentQueue<string>();
        int corrections = 0, wrong = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var clock = Stopwatch.StartNew();

        Task[] predictors = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (int i = c; !stop.IsCancellationRequested; i += clients)
            {
                long start = Stopwatch.GetTimestamp();
                try
                {
                    using HttpResponseMessage response = await http.PostAsJsonAsync(
                        "/predict", new DrawingRequest { Pixels = drawings[i % drawings.Length] }, DigitsJson.Default.DrawingRequest);
                    if (!response.IsSuccessStatusCode)
                    {
                        errors.Enqueue($"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                        continue;
                    }

                    PredictionResponse p = (await response.Content.ReadFromJsonAsync(DigitsJson.Default.PredictionResponse))!;
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    if (p.Digit != TestDigits.Labels[i % drawings.Length])
                        Interlocked.Increment(ref wrong);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
                {
                    errors.Enqueue(e.Message);
                }
            }
        })).ToArray();

        // One user teaching all along: each correction trains and publishes while the clients predict.
        Task teacher = Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                using HttpResponseMessage response = await http.PostAsJsonAsync(
                    "/correct", new DrawingRequest { Pixels = drawings[i % drawings.Length], Label = TestDigits.Labels[i % drawings.Length] }, DigitsJson.Default.DrawingRequest);
                if (response.IsSuccessStatusCode)
                    corrections++;
                else
                    errors.Enqueue($"correction: HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        });

        await Task.WhenAll(predictors.Append(teacher));
        double elapsed = clock.Elapsed.TotalSeconds;
        ModelInfo model = (await http.GetFromJsonAsync("/model", DigitsJson.Default.ModelInfo))!;
        double[] sorted = latencies.OrderBy(l => l).ToArray();
        double Percentile(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

        output.WriteLine(
            $"load: {clients} clients, {elapsed:F1} s, {sorted.Length} predictions ({sorted.Length / elapsed:F0}/s), " +
            $"p50 {Percentile(0.50):F2} ms, p99 {Percentile(0.99):F2} ms, max {sorted[^1]:F1} ms, errors {errors.Count}, " +
            $"{corrections} corrections trained meanwhile (model version {model.Version}), {model.Predictors} predict programs, " +
            $"{wrong} answers not the test label; {(server is null ? url : "in-process app")}, {Environment.ProcessorCount} processors");
        Assert.Empty(errors);
        Assert.True(corrections >= 1, "no correction finished during the load");
        Assert.True(sorted.Length >= clients, $"only {sorted.Length} predictions in {elapsed:F1} s");
        Assert.Equal(startVersion + corrections, model.Version);
    }
}
