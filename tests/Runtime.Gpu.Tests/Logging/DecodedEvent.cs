using System.Collections.Generic;

namespace Dsl.Tests.Logging;

/// <summary>One decoded TensorFlow Event, holding only what the TensorBoard logger writes.</summary>
internal sealed class DecodedEvent
{
    public double WallTime { get; set; }
    public long Step { get; set; }
    public string? FileVersion { get; set; }
    public List<(string Tag, float Value)> Scalars { get; } = [];
    public List<(string Tag, string Plugin, int DataType, string Text)> Texts { get; } = [];
}
