using System;

namespace Dsl.Tests.Training.Progress;

/// <summary>A clock the test moves by hand, so that rates, times left and throttling are exact.</summary>
internal sealed class FakeClock
{
    /// <summary>The time the renderer reads.</summary>
    public TimeSpan Now { get; set; }

    /// <summary>Moves the clock forward.</summary>
    public void Advance(double milliseconds) => Now += TimeSpan.FromMilliseconds(milliseconds);

    /// <summary>The renderer's clock delegate.</summary>
    public TimeSpan Read() => Now;
}
