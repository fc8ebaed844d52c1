using System;
using System.IO;
using System.Text;
using Dsl.Data;

namespace Dsl;

/// <summary>
/// The bytes of a text file, as tokens of a byte-level vocabulary (256 symbols, so any file,
/// in any language or encoding, is representable and no tokenizer is needed), for character-level
/// language models in the manner of nanoGPT's <c>shakespeare_char</c>.
/// </summary>
public sealed class TextCorpus
{
    private readonly byte[] _bytes;

    private TextCorpus(byte[] bytes, string source, int offset)
    {
        _bytes = bytes;
        Source = source;
        Offset = offset;
    }

    /// <summary>Reads a text file (<c>.txt</c>, or gzip-compressed, recognised by its first bytes).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Limits; <see langword="null"/> for the defaults. One array holds the text, so no more than <see cref="Array.MaxLength"/> bytes are read whatever the limit.</param>
    /// <returns>The corpus.</returns>
    /// <exception cref="FileNotFoundException">There is no such file, or the path is a directory.</exception>
    /// <exception cref="InvalidDataException">The file is empty, holds more than <see cref="DataFileOptions.MaxBytes"/>, or its gzip data is damaged.</exception>
    public static TextCorpus Load(string path, DataFileOptions? options = null)
    {
        string file = Path.GetFileName(path);
        byte[] bytes = DataFile.ReadAllBytes(path, (options ?? new DataFileOptions()).MaxBytes);
        if (bytes.Length == 0)
            throw new InvalidDataException($"{file} is empty.");
        return new TextCorpus(bytes, file, 0);
    }

    /// <summary>A corpus of the UTF-8 bytes of <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="source">What messages call it.</param>
    /// <returns>The corpus.</returns>
    public static TextCorpus FromText(string text, string source = "in-memory text")
    {
        ArgumentNullException.ThrowIfNull(text);
        return new TextCorpus(Encoding.UTF8.GetBytes(text), source, 0);
    }

    /// <summary>The number of distinct tokens: 256, one per byte value.</summary>
    public int VocabularySize => 256;

    /// <summary>The file's name (or the in-memory source), for messages.</summary>
    public string Source { get; }

    /// <summary>Where this corpus starts in the file it was read from (non-zero for the second part of a <see cref="Split"/>).</summary>
    public int Offset { get; }

    /// <summary>The number of bytes (tokens).</summary>
    public int Length => _bytes.Length;

    /// <summary>The bytes themselves.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>
    /// Splits the text in two contiguous parts, the first <c>round(Length * firstFraction)</c>
    /// bytes and the rest, as nanoGPT splits training and validation text (a random split of
    /// overlapping windows would leak validation text into training).
    /// </summary>
    /// <param name="firstFraction">The share of the first part, strictly between 0 and 1.</param>
    /// <returns>The two parts (copies).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstFraction"/> is not strictly between 0 and 1.</exception>
    /// <exception cref="ArgumentException">A part would be empty.</exception>
    public (TextCorpus First, TextCorpus Second) Split(double firstFraction)
    {
        if (!(firstFraction > 0 && firstFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(firstFraction), firstFraction, "The fraction of text in the first part must be strictly between 0 and 1.");
        int cut = (int)Math.Round(_bytes.Length * firstFraction, MidpointRounding.AwayFromZero);
        if (cut < 1 || cut > _bytes.Length - 1)
            throw new ArgumentException($"Splitting the {_bytes.Length} bytes of {Source} at {firstFraction} leaves {(cut < 1 ? "the first" : "the second")} part empty.", nameof(firstFraction));
        return (new TextCorpus(_bytes[..cut], Source, Offset), new TextCorpus(_bytes[cut..], Source, Offset + cut));
    }

    /// <summary>The tokens of <paramref name="text"/>: its UTF-8 bytes (for prompts).</summary>
    /// <param name="text">The text.</param>
    /// <returns>One token per byte.</returns>
    public static int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        int[] tokens = new int[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            tokens[i] = bytes[i];
        return tokens;
    }

    /// <summary>
    /// Turns tokens back into text: the bytes read as UTF-8, each invalid sequence (a model may
    /// sample half a character) becoming U+FFFD.
    /// </summary>
    /// <param name="tokens">Byte values, each in [0, 256).</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A token is not a byte value.</exception>
    public string Decode(ReadOnlySpan<int> tokens)
    {
        byte[] bytes = new byte[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] > byte.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(tokens), tokens[i], $"Token {i} is {tokens[i]}; a byte-level vocabulary has tokens 0 to 255.");
            bytes[i] = (byte)tokens[i];
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
