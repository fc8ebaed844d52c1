using System;
using System.Collections.Generic;
using System.IO;
using Dsl.Training.Progress;
using Xunit;

namespace Dsl.Tests.Training.Progress;

/// <summary>Misuse of the renderer is an exception that says what went wrong, never a garbled line.</summary>
public sealed class ProgressRendererArgumentTests
{
    private static readonly KeyValuePair<string, double>[] None = [];

    private static ProgressRenderer Create() => new(new StringWriter(), interactive: true, () => TimeSpan.Zero, width: 80, unicode: true);

    [Fact]
    public void UpdateBeforeStartStageThrows()
    {
        using ProgressRenderer progress = Create();
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => progress.Update(1, None));
        Assert.Equal("ProgressRenderer.Update was called with no stage started; call StartStage first.", e.Message);
    }

    [Fact]
    public void EndStageTwiceThrows()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Epoch 1/1", 1);
        progress.EndStage(None);
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => progress.EndStage(None));
        Assert.Contains("EndStage", e.Message);
    }

    [Fact]
    public void NegativeTotalThrows()
    {
        using ProgressRenderer progress = Create();
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => progress.StartStage("Epoch 1/1", -1));
        Assert.Equal("total", e.ParamName);
        Assert.Contains("Stage 'Epoch 1/1' has a negative step count.", e.Message);
    }

    [Fact]
    public void NegativeCompletedThrows()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Epoch 1/1", 10);
        Assert.Equal("completed", Assert.Throws<ArgumentOutOfRangeException>(() => progress.Update(-1, None)).ParamName);
    }

    [Fact]
    public void NullMetricsThrow()
    {
        using ProgressRenderer progress = Create();
        progress.StartStage("Epoch 1/1", 10);
        Assert.Equal("metrics", Assert.Throws<ArgumentNullException>(() => progress.Update(1, null!)).ParamName);
    }

    [Fact]
    public void ANonPositiveIntervalThrows()
    {
        Assert.Equal(
            "plainInterval",
            Assert.Throws<ArgumentOutOfRangeException>(() => new ProgressRenderer(TextWriter.Null, false, plainInterval: TimeSpan.Zero)).ParamName);
    }

    [Fact]
    public void AOneColumnWidthThrows()
    {
        Assert.Equal(
            "width",
            Assert.Throws<ArgumentOutOfRangeException>(() => new ProgressRenderer(TextWriter.Null, true, width: 1)).ParamName);
    }
}
