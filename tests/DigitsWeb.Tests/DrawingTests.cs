using System;
using System.Linq;
using Xunit;

namespace DigitsWeb.Tests;

/// <summary>The 32x32 bitmap, its validation and its reduction to the UCI features.</summary>
public sealed class DrawingTests
{
    [Fact]
    public void EachFeatureCountsTheSetPixelsOfOneFourByFourBlock()
    {
        float[] bitmap = new float[Drawing.PixelCount];
        bitmap[0] = 1;                          // block (0, 0)
        bitmap[3 * 32 + 3] = 1;                 // block (0, 0)
        bitmap[4] = 1;                          // block (0, 1)
        bitmap[31 * 32 + 31] = 1;               // block (7, 7)
        for (int y = 8; y < 12; y++)            // block (2, 5): all 16
            for (int x = 20; x < 24; x++)
                bitmap[y * 32 + x] = 1;

        int[] counts = Drawing.BlockCounts(bitmap);

        Assert.Equal(2, counts[0]);
        Assert.Equal(1, counts[1]);
        Assert.Equal(1, counts[63]);
        Assert.Equal(16, counts[2 * 8 + 5]);
        Assert.Equal(20, counts.Sum());
        Assert.Equal(1f, Drawing.Features(counts)[2 * 8 + 5]);
    }

    [Fact]
    public void EveryTestDigitDrawnOnThePadDownsamplesBackToItsOwnCounts()
    {
        for (int i = 0; i < TestDigits.Counts.Length; i++)
            Assert.Equal(TestDigits.Counts[i], Drawing.BlockCounts(TestDigits.Bitmap(TestDigits.Counts[i])));
    }

    [Theory]
    [InlineData(1023, "has 1023 values; expected 1024")]
    [InlineData(1025, "has 1025 values; expected 1024")]
    [InlineData(0, "has 0 values")]
    public void AWrongSizeIsRefusedWithTheSize(int length, string message) =>
        Assert.Contains(message, Drawing.Validate(new float[length]));

    [Theory]
    [InlineData(float.NaN, "is NaN")]
    [InlineData(float.PositiveInfinity, "is Infinity")]
    [InlineData(0.5f, "is 0.5")]
    [InlineData(2f, "is 2")]
    [InlineData(-1f, "is -1")]
    public void APixelThatIsNotZeroOrOneIsRefusedByPosition(float value, string message)
    {
        float[] bitmap = new float[Drawing.PixelCount];
        bitmap[33] = value;
        string? error = Drawing.Validate(bitmap);
        Assert.NotNull(error);
        Assert.Contains("pixels[33] (row 1, column 1) " + message, error);
    }

    [Fact]
    public void MissingPixelsAreRefusedAndAValidBitmapPasses()
    {
        Assert.Contains("'pixels' is required", Drawing.Validate(null));
        Assert.Null(Drawing.Validate(TestDigits.Bitmap(TestDigits.Counts[0])));
    }
}
