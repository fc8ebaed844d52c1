using System;
using System.Globalization;
using System.IO;

namespace Dsl.Training.Progress;

/// <summary>
/// A reusable character buffer that progress lines are composed in. Numbers are formatted
/// straight into it with <see cref="ISpanFormattable.TryFormat"/>, so composing a line allocates
/// nothing once the buffer has grown to the longest line.
/// </summary>
internal sealed class LineBuffer
{
    private char[] _chars = new char[256];

    /// <summary>The number of characters composed so far.</summary>
    public int Length { get; private set; }

    /// <summary>The composed characters.</summary>
    public ReadOnlySpan<char> Span => _chars.AsSpan(0, Length);

    /// <summary>Empties the buffer, keeping its storage.</summary>
    public void Clear() => Length = 0;

    /// <summary>Appends one character.</summary>
    public void Append(char c)
    {
        Reserve(1);
        _chars[Length++] = c;
    }

    /// <summary>Appends <paramref name="count"/> copies of <paramref name="c"/>.</summary>
    public void Append(char c, int count)
    {
        if (count <= 0)
            return;
        Reserve(count);
        _chars.AsSpan(Length, count).Fill(c);
        Length += count;
    }

    /// <summary>Appends text.</summary>
    public void Append(ReadOnlySpan<char> text)
    {
        Reserve(text.Length);
        text.CopyTo(_chars.AsSpan(Length));
        Length += text.Length;
    }

    /// <summary>Appends a number in the invariant culture; generic so that no value is boxed.</summary>
    public void Append<T>(T value, ReadOnlySpan<char> format = default)
        where T : ISpanFormattable
    {
        while (true)
        {
            if (value.TryFormat(_chars.AsSpan(Length), out int written, format, CultureInfo.InvariantCulture))
            {
                Length += written;
                return;
            }

            Reserve(_chars.Length - Length + 64);
        }
    }

    /// <summary>
    /// Cuts the buffer to at most <paramref name="length"/> characters, never splitting a
    /// surrogate pair (half a pair prints as a replacement character).
    /// </summary>
    public void Truncate(int length)
    {
        if (Length <= length)
            return;
        Length = Math.Max(0, length);
        if (Length > 0 && char.IsHighSurrogate(_chars[Length - 1]))
            Length--;
    }

    /// <summary>Writes the buffer with the writer's array overload, which every writer implements without copying.</summary>
    public void WriteTo(TextWriter output) => output.Write(_chars, 0, Length);

    private void Reserve(int extra)
    {
        if (Length + extra > _chars.Length)
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, Length + extra));
    }
}
