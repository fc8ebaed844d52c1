using System;
using Dsl.Training.Progress;
using Xunit;

namespace Dsl.Tests.Training.Progress;

/// <summary>Metric values, intervals, rates and bars are formatted as tqdm and Lightning print them.</summary>
public sealed class ProgressFormatTests
{
    [Theory]
    [InlineData(0.12344, "0.1234")]
    [InlineData(0.23456, "0.2346")]
    [InlineData(12.5, "12.5000")]
    [InlineData(-0.5, "-0.5000")]
    [InlineData(0.001, "0.0010")]
    [InlineData(1e-4, "1.00e-04")]
    [InlineData(3.14159e-7, "3.14e-07")]
    [InlineData(-2.5e-5, "-2.50e-05")]
    [InlineData(123456.7, "1.23e+05")]
    [InlineData(0.0, "0")]
    [InlineData(3.0, "3")]
    [InlineData(2e9, "2.00e+09")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void MetricValues(double value, string expected)
    {
        LineBuffer line = new();
        MetricFormat.AppendValue(line, value);
        Assert.Equal(expected, line.Span.ToString());
    }

    [Theory]
    [InlineData(0, "00:00")]
    [InlineData(59.99, "00:59")]
    [InlineData(61, "01:01")]
    [InlineData(3599, "59:59")]
    [InlineData(3725, "1:02:05")]
    [InlineData(36000 * 3 + 1, "30:00:01")]
    [InlineData(-5, "00:00")]
    public void Intervals(double seconds, string expected)
    {
        LineBuffer line = new();
        Durations.AppendInterval(line, TimeSpan.FromSeconds(seconds));
        Assert.Equal(expected, line.Span.ToString());
    }

    [Theory]
    [InlineData(10, 2.0, "5.00it/s")]
    [InlineData(60, 3.24, "18.52it/s")]
    [InlineData(1, 1.0, "1.00it/s")]
    [InlineData(2, 5.0, "2.50s/it")]
    [InlineData(0, 5.0, "?it/s")]
    [InlineData(5, 0.0, "?it/s")]
    public void Rates(int completed, double seconds, string expected)
    {
        LineBuffer line = new();
        Durations.AppendRate(line, completed, TimeSpan.FromSeconds(seconds));
        Assert.Equal(expected, line.Span.ToString());
    }

    [Theory]
    [InlineData(10, 40, 2.0, "00:06")]
    [InlineData(3, 10, 1.0, "00:02")]    // 7/3 s = 2.33 s, truncated as tqdm does
    [InlineData(1, 3601, 1.0, "1:00:00")]
    [InlineData(0, 10, 1.0, "?")]
    [InlineData(10, 10, 4.0, "00:00")]
    [InlineData(12, 10, 4.0, "00:00")]   // more steps than announced: nothing left, not negative
    public void TimeLeft(int completed, int total, double seconds, string expected)
    {
        LineBuffer line = new();
        Durations.AppendRemaining(line, completed, total, TimeSpan.FromSeconds(seconds));
        Assert.Equal(expected, line.Span.ToString());
    }

    [Theory]
    [InlineData(0.0, "          ")]
    [InlineData(0.45, "████▌     ")]     // 36 eighths: 4 full cells and a half
    [InlineData(0.5125, "█████▏    ")]   // 41 eighths: one eighth past half
    [InlineData(0.99, "█████████▉")]
    [InlineData(1.0, "██████████")]
    public void UnicodeBars(double fraction, string expected)
    {
        LineBuffer line = new();
        ProgressLine.AppendBar(line, fraction, 10, unicode: true);
        Assert.Equal(expected, line.Span.ToString());
    }

    [Theory]
    [InlineData(0.0, "          ")]
    [InlineData(0.45, "####      ")]
    [InlineData(0.99, "######### ")]
    [InlineData(1.0, "##########")]
    public void AsciiBars(double fraction, string expected)
    {
        LineBuffer line = new();
        ProgressLine.AppendBar(line, fraction, 10, unicode: false);
        Assert.Equal(expected, line.Span.ToString());
    }

    [Fact]
    public void TruncationNeverSplitsASurrogatePair()
    {
        LineBuffer line = new();
        line.Append("ab\U0001F600c");
        line.Truncate(3);
        Assert.Equal("ab", line.Span.ToString());
    }

    [Fact]
    public void LongTextGrowsTheBuffer()
    {
        LineBuffer line = new();
        string text = new('x', 1000);
        line.Append(text);
        line.Append(1234567.5, "F4");
        Assert.Equal(text + "1234567.5000", line.Span.ToString());
    }
}
