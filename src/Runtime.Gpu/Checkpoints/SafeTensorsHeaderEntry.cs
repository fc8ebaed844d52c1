namespace Dsl.Checkpoints;

/// <summary>One tensor as the header describes it, checked but not yet read.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="Begin">The first byte, relative to the start of the data buffer.</param>
/// <param name="End">One past the last byte, relative to the start of the data buffer.</param>
internal sealed record SafeTensorsHeaderEntry(string Name, SafeTensorsDType DType, int[] Shape, long Begin, long End)
{
    /// <summary>The number of data bytes.</summary>
    public long Length => End - Begin;

    /// <summary>The offsets as the header writes them, for messages.</summary>
    public string OffsetsText => $"[{Begin}, {End}]";
}
