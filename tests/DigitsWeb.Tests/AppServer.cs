using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DigitsWeb.Tests;

/// <summary>
/// The app as <c>Program</c> builds it, listening on a free loopback port in this process, with a
/// copy of the shipped checkpoint in a temp folder (so saves never touch the shipped file).
/// </summary>
internal sealed class AppServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AppServer(WebApplication app, string folder, string checkpoint)
    {
        _app = app;
        Model = app.Services.GetRequiredService<DigitsModelHost>();
        Folder = folder;
        Checkpoint = checkpoint;
        Address = new Uri(app.Urls.First());
        Client = new HttpClient { BaseAddress = Address };
    }

    /// <summary>Where the server listens (http://127.0.0.1:port/).</summary>
    public Uri Address { get; }

    /// <summary>A client for the server.</summary>
    public HttpClient Client { get; }

    /// <summary>The temp folder holding the checkpoint.</summary>
    public string Folder { get; }

    /// <summary>The checkpoint the app loaded and saves to.</summary>
    public string Checkpoint { get; }

    /// <summary>The model the app serves.</summary>
    public DigitsModelHost Model { get; }

    /// <summary>Starts the app on 127.0.0.1 and a port the OS picks.</summary>
    public static async Task<AppServer> StartAsync(params string[] extraArgs)
    {
        string folder = Path.Combine(Path.GetTempPath(), "digitsweb-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string checkpoint = Path.Combine(folder, "digits.safetensors");
        File.Copy(TestDigits.CheckpointPath, checkpoint);
        string[] args = new[] { "--urls", "http://127.0.0.1:0", "--checkpoint", checkpoint, "--data", TestDigits.DataPath }.Concat(extraArgs).ToArray();
        WebApplication app = DigitsWebApp.Build(args);
        await app.StartAsync();
        return new AppServer(app, folder, checkpoint);
    }

    /// <summary>Posts a drawing to <c>/predict</c> and reads the prediction.</summary>
    public async Task<PredictionResponse> PredictAsync(float[] bitmap)
    {
        using HttpResponseMessage response = await Client.PostAsJsonAsync("/predict", new DrawingRequest { Pixels = bitmap }, DigitsJson.Default.DrawingRequest);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(DigitsJson.Default.PredictionResponse))!;
    }

    /// <summary>Posts a correction and reads its outcome.</summary>
    public async Task<CorrectionResponse> CorrectAsync(float[] bitmap, int label)
    {
        using HttpResponseMessage response = await Client.PostAsJsonAsync("/correct", new DrawingRequest { Pixels = bitmap, Label = label }, DigitsJson.Default.DrawingRequest);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(DigitsJson.Default.CorrectionResponse))!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Model.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the test's outcome does not depend on it.
        }
    }
}
