using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace DigitsWeb.Tests;

/// <summary>The HTTP surface: the page, and bad input refused with a 400 and nothing trained.</summary>
public sealed class ApiTests
{
    private static readonly string Zeros = "[" + string.Join(",", new string('0', 1024).ToCharArray()) + "]";

    [Theory]
    [InlineData("/predict", "{\"pixels\": [0, 1, 0]}", "'pixels' has 3 values; expected 1024")]
    [InlineData("/predict", "{\"pixels\": \"abc\"}", "The body is not a drawing")]
    [InlineData("/predict", "not json", "The body is not a drawing")]
    [InlineData("/predict", "{}", "'pixels' is required")]
    [InlineData("/predict", "{\"pixels\": [NaN]}", "The body is not a drawing")]
    [InlineData("/correct", "{\"pixels\": [0, 1], \"label\": 3}", "'pixels' has 2 values")]
    [InlineData("/correct", "{\"pixels\": ZEROS, \"label\": 10}", "'label' is 10; a digit is 0-9.")]
    [InlineData("/correct", "{\"pixels\": ZEROS, \"label\": -1}", "'label' is -1; a digit is 0-9.")]
    [InlineData("/correct", "{\"pixels\": ZEROS}", "'label' is required")]
    [InlineData("/correct", "{\"pixels\": ZEROS, \"label\": 3}", "The drawing is empty")]
    [InlineData("/correct", "{\"pixels\": ZEROS, \"label\": \"seven\"}", "The body is not a drawing")]
    public async Task BadInputIsA400WithAMessageAndTrainsNothing(string path, string body, string message)
    {
        await using AppServer server = await AppServer.StartAsync();
        using var content = new StringContent(body.Replace("ZEROS", Zeros), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await server.Client.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        ErrorResponse? error = await response.Content.ReadFromJsonAsync(DigitsJson.Default.ErrorResponse);
        Assert.Contains(message, error!.Error);
        Assert.Equal(0, server.Model.Version);
    }

    [Fact]
    public async Task ANaNPixelWrittenAsANamedLiteralIsRefusedByPosition()
    {
        await using AppServer server = await AppServer.StartAsync();
        string pixels = Zeros.Replace("[0,0,", "[0,\"NaN\",");
        using var content = new StringContent($"{{\"pixels\": {pixels}, \"label\": 4}}", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await server.Client.PostAsync("/correct", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("pixels[1] (row 0, column 1) is NaN", (await response.Content.ReadFromJsonAsync(DigitsJson.Default.ErrorResponse))!.Error);
        Assert.Equal(0, server.Model.Version);
    }

    [Fact]
    public async Task ThePageAndTheModelDescriptionAreServed()
    {
        await using AppServer server = await AppServer.StartAsync();
        string page = await server.Client.GetStringAsync("/");
        Assert.Contains("<canvas id=\"pad\"", page);

        ModelInfo? info = await server.Client.GetFromJsonAsync("/model", DigitsJson.Default.ModelInfo);
        Assert.Equal(0, info!.Version);
        Assert.Equal(server.Checkpoint, info.Checkpoint);
        Assert.Equal(server.Checkpoint, info.SavePath);
    }

    [Fact]
    public async Task SaveWritesTheCheckpointAndSaysWhichVersion()
    {
        await using AppServer server = await AppServer.StartAsync();
        byte[] before = await System.IO.File.ReadAllBytesAsync(server.Checkpoint);
        await server.CorrectAsync(TestDigits.Bitmap(TestDigits.Counts[2]), TestDigits.Labels[2]);
        using HttpResponseMessage response = await server.Client.PostAsync("/save", null);

        response.EnsureSuccessStatusCode();
        SaveResponse? saved = await response.Content.ReadFromJsonAsync(DigitsJson.Default.SaveResponse);
        Assert.Equal(server.Checkpoint, saved!.Path);
        Assert.Equal(1, saved.Version);
        Assert.NotEqual(before, await System.IO.File.ReadAllBytesAsync(server.Checkpoint));
    }
}
