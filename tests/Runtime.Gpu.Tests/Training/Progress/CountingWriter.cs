using System.IO;
using System.Text;

namespace Dsl.Tests.Training.Progress;

/// <summary>A writer that discards text and counts '\r's, so allocation tests measure the renderer alone.</summary>
internal sealed class CountingWriter : TextWriter
{
    /// <summary>Carriage returns written: one per interactive redraw.</summary>
    public int CarriageReturns { get; private set; }

    /// <inheritdoc/>
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc/>
    public override void Write(char value)
    {
        if (value == '\r')
            CarriageReturns++;
    }

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count)
    {
        for (int i = index; i < index + count; i++)
            Write(buffer[i]);
    }
}
