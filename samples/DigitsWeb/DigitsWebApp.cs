using System;
using System.IO;
using System.Reflection;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DigitsWeb;

/// <summary>
/// Builds the app: the page, <c>/predict</c>, <c>/correct</c>, <c>/save</c> and <c>/model</c>.
/// <c>Program</c> runs it; the tests build it on a loopback port in their own process.
/// </summary>
public static class DigitsWebApp
{
    // A drawing is 1,024 small numbers (about 3 KB of JSON); anything far larger is not one.
    private const long MaxBodyBytes = 64 * 1024;

    /// <summary>Loads the model and maps the endpoints; the caller starts the app.</summary>
    /// <param name="args">Command-line arguments: ASP.NET Core's (<c>--urls</c>) and <see cref="DigitsWebOptions"/>'s.</param>
    /// <returns>The app, not started; its services hold the <see cref="DigitsModelHost"/>.</returns>
    /// <exception cref="FileNotFoundException">The checkpoint or the data is missing (the message says how to make it).</exception>
    public static WebApplication Build(string[] args)
    {
        // The slim builder: no reflection-heavy defaults, so the app publishes with NativeAOT.
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxBodyBytes);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, DigitsJson.Default));

        DigitsModelHost model = DigitsModelHost.Load(DigitsWebOptions.From(builder.Configuration));
        builder.Services.AddSingleton(model);

        WebApplication app = builder.Build();
        string page = ReadPage();
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapGet("/model", () => Results.Json(
            new ModelInfo(model.Version, model.Options.CheckpointPath, model.Options.SavePath, model.Predictors), DigitsJson.Default.ModelInfo));
        app.MapPost("/predict", (HttpRequest request, CancellationToken cancellation) => PredictAsync(model, request, cancellation));
        app.MapPost("/correct", (HttpRequest request, CancellationToken cancellation) => CorrectAsync(model, request, cancellation));
        app.MapPost("/save", () =>
        {
            var (path, version) = model.Save();
            return Results.Json(new SaveResponse(path, version), DigitsJson.Default.SaveResponse);
        });
        return app;
    }

    private static async Task<IResult> PredictAsync(DigitsModelHost model, HttpRequest request, CancellationToken cancellation)
    {
        var (drawing, error) = await ReadDrawingAsync(request, cancellation);
        if (error is not null)
            return error;
        return Results.Json(await PredictionAsync(model, Drawing.BlockCounts(drawing!.Pixels), cancellation), DigitsJson.Default.PredictionResponse);
    }

    private static async Task<IResult> CorrectAsync(DigitsModelHost model, HttpRequest request, CancellationToken cancellation)
    {
        var (drawing, error) = await ReadDrawingAsync(request, cancellation);
        if (error is not null)
            return error;
        if (drawing!.Label is not int label)
            return BadRequest("'label' is required: the digit the drawing really is, 0-9.");
        if (label is < 0 or > 9)
            return BadRequest($"'label' is {label}; a digit is 0-9.");

        int[] counts = Drawing.BlockCounts(drawing.Pixels);
        // A blank pad is no example of any digit; training on it would only teach noise.
        if (Array.TrueForAll(counts, c => c == 0))
            return BadRequest("The drawing is empty: draw the digit, then say what it was.");
        // Training is CPU work under the learner's lock; off the request thread's async path.
        var (loss, version) = await Task.Run(() => model.Correct(Drawing.Features(counts), label), cancellation);
        PredictionResponse after = await PredictionAsync(model, counts, cancellation);
        return Results.Json(new CorrectionResponse(version, loss, after), DigitsJson.Default.CorrectionResponse);
    }

    private static async Task<PredictionResponse> PredictionAsync(DigitsModelHost model, int[] counts, CancellationToken cancellation)
    {
        var (probabilities, version) = await model.PredictAsync(Drawing.Features(counts), cancellation);
        int digit = 0;
        for (int i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[digit])
                digit = i;
        }

        return new PredictionResponse(digit, probabilities, counts, version);
    }

    // Reads and checks the body; on failure returns the 400 to send. Nothing is trained or
    // predicted from a drawing that did not pass.
    private static async Task<(ValidDrawing? Drawing, IResult? Error)> ReadDrawingAsync(HttpRequest request, CancellationToken cancellation)
    {
        DrawingRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, DigitsJson.Default.DrawingRequest, cancellation);
        }
        catch (JsonException e)
        {
            return (null, BadRequest($"The body is not a drawing: {e.Message}"));
        }
        catch (BadHttpRequestException e)
        {
            return (null, BadRequest(e.Message));
        }

        if (body is null)
            return (null, BadRequest("The body is empty; expected {\"pixels\": [1024 values, 0 or 1]}."));
        if (Drawing.Validate(body.Pixels) is string problem)
            return (null, BadRequest(problem));
        return (new ValidDrawing(body.Pixels!, body.Label), null);
    }

    private static IResult BadRequest(string message) =>
        Results.Json(new ErrorResponse(message), DigitsJson.Default.ErrorResponse, statusCode: StatusCodes.Status400BadRequest);

    private static string ReadPage()
    {
        using Stream stream = typeof(DigitsWebApp).Assembly.GetManifestResourceStream("DigitsWeb.index.html")
            ?? throw new InvalidOperationException("The page (DigitsWeb.index.html) is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed record ValidDrawing(float[] Pixels, int? Label);
}
