using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Xunit;

namespace DigitsWeb.Tests;

/// <summary>The page in headless chromium, as a user drives it: draw, read the answer, correct it.</summary>
public sealed class BrowserTests
{
    /// <summary>Also write the screenshot here (the committed one: samples/DigitsWeb/screenshot.png).</summary>
    public const string ScreenshotVariable = "DIGITSWEB_SCREENSHOT";

    [BrowserFact]
    public async Task ADigitDrawnOnTheCanvasIsRecognisedAndACorrectionChangesTheModel()
    {
        string chromium = BrowserEnvironment.Chromium ?? throw new InvalidOperationException(BrowserEnvironment.Missing);
        await using AppServer server = await AppServer.StartAsync();
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 900, Height = 520 } });
        var console = new System.Text.StringBuilder();
        page.Console += (_, message) => console.AppendLine($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => console.AppendLine($"page error: {error}");
        try
        {
            await UseThePageAsync(server, page);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            // Playwright's timeouts say what it waited for, not why; the page's console usually does.
            throw new InvalidOperationException($"{e.Message}\nThe page's console:\n{console}", e);
        }
    }

    private static async Task UseThePageAsync(AppServer server, IPage page)
    {
        await page.GotoAsync(server.Address.ToString());
        await page.WaitForFunctionAsync("document.getElementById('version').textContent === '0'");

        // A 7 from the held-out test split (the first the model gets right: the very first is one
        // of its nine mistakes, a 4), drawn pixel-exact with the 1-pixel pen, one stroke per
        // horizontal run of set pixels.
        int index = await TestDigits.FirstRecognisedAsync(server.Model, 7);
        await page.SelectOptionAsync("#brush", "1");
        int strokes = await DrawAsync(page, TestDigits.Bitmap(TestDigits.Counts[index]));

        await page.Locator($"#predicted[data-stroke=\"{strokes}\"]").WaitForAsync();
        Assert.Equal("7", await page.TextContentAsync("#predicted"));
        double before = await ProbabilityAsync(page, 1);
        double seven = await ProbabilityAsync(page, 7);
        Assert.True(seven > 50, $"the page shows P(7) = {seven}%");

        string screenshot = Path.Combine(AppContext.BaseDirectory, "digitsweb-screenshot.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        if (Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } keep)
            File.Copy(screenshot, keep, overwrite: true);

        // "That was a 1": the server trains, publishes version 1, and the bars move toward 1.
        await page.SelectOptionAsync("#label", "1");
        await page.ClickAsync("#teach");
        await page.Locator("body[data-version=\"1\"]").WaitForAsync();
        Assert.Contains("Learned that this is a 1", await page.TextContentAsync("#status"));
        Assert.Equal("1", await page.TextContentAsync("#version"));
        double after = await ProbabilityAsync(page, 1);
        Assert.True(after > before, $"P(1) on the page went from {before}% to {after}%");
        Assert.Equal(1, server.Model.Version);

        // The server's own answer to the drawing matches what the page shows.
        var (probabilities, version) = await server.Model.PredictAsync(TestDigits.Features(index));
        Assert.Equal(1, version);
        Assert.Equal(100 * probabilities[1], after, 3);
    }

    // Draws every set pixel: one pointer stroke from the first to the last pixel of each run.
    private static async Task<int> DrawAsync(IPage page, float[] bitmap)
    {
        LocatorBoundingBoxResult box = (await page.Locator("#pad").BoundingBoxAsync())!;
        double cell = box.Width / Drawing.Side;
        (double X, double Y) Centre(int x, int y) => (box.X + (x + 0.5) * cell, box.Y + (y + 0.5) * cell);
        int strokes = 0;
        foreach (var (y, first, last) in Runs(bitmap))
        {
            var (x0, y0) = Centre(first, y);
            var (x1, _) = Centre(last, y);
            await page.Mouse.MoveAsync((float)x0, (float)y0);
            await page.Mouse.DownAsync();
            if (last != first)
                await page.Mouse.MoveAsync((float)x1, (float)y0);
            await page.Mouse.UpAsync();
            strokes++;
        }

        return strokes;
    }

    private static IEnumerable<(int Y, int First, int Last)> Runs(float[] bitmap)
    {
        for (int y = 0; y < Drawing.Side; y++)
        {
            for (int x = 0; x < Drawing.Side; x++)
            {
                if (bitmap[y * Drawing.Side + x] == 0)
                    continue;
                int first = x;
                while (x + 1 < Drawing.Side && bitmap[y * Drawing.Side + x + 1] != 0)
                    x++;
                yield return (y, first, x);
            }
        }
    }

    // The probability behind a digit's bar, in percent (the bar prints it to 0.1%, and keeps it whole in data-p).
    private static async Task<double> ProbabilityAsync(IPage page, int digit)
    {
        string text = (await page.GetAttributeAsync($".bar[data-digit=\"{digit}\"]", "data-p"))!;
        return 100 * double.Parse(text, CultureInfo.InvariantCulture);
    }
}
