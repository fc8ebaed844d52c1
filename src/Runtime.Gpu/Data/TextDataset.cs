using System;
using System.Collections.Generic;

namespace Dsl;

/// <summary>
/// Next-token windows over a <see cref="TextCorpus"/>: example <c>i</c> starts at byte
/// <c>s = i * stride</c>, with <c>tokens</c> = bytes [s, s + T) and <c>targets</c> = bytes
/// [s + 1, s + T + 1) (both Int32, [T]), so the target at each position is the byte that follows.
/// </summary>
/// <remarks>
/// nanoGPT samples window starts at random; a loader with shuffling over stride-1 windows
/// visits every start once per epoch instead. A stride equal to the context length gives
/// disjoint windows (an epoch then reads the text once).
/// </remarks>
public sealed class TextDataset : Dataset
{
    private readonly TextCorpus _corpus;
    private readonly ColumnInfo[] _columns;

    /// <summary>Creates the windows.</summary>
    /// <param name="corpus">The text.</param>
    /// <param name="contextLength">T, the tokens per window.</param>
    /// <param name="stride">The bytes between the starts of consecutive windows.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contextLength"/> or <paramref name="stride"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The corpus is shorter than <paramref name="contextLength"/> + 1 bytes.</exception>
    public TextDataset(TextCorpus corpus, int contextLength, int stride = 1)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        if (corpus.Length < (long)contextLength + 1)
            throw new ArgumentException($"{corpus.Source} holds {corpus.Length} bytes; a window of {contextLength} tokens and its targets need at least {(long)contextLength + 1}.", nameof(contextLength));

        _corpus = corpus;
        ContextLength = contextLength;
        Stride = stride;
        Count = (corpus.Length - contextLength - 1) / stride + 1;
        _columns =
        [
            new ColumnInfo("tokens", ColumnType.Int32, [contextLength]),
            new ColumnInfo("targets", ColumnType.Int32, [contextLength]),
        ];
    }

    /// <summary>The text the windows read.</summary>
    public TextCorpus Corpus => _corpus;

    /// <summary>T, the tokens per window.</summary>
    public int ContextLength { get; }

    /// <summary>The bytes between the starts of consecutive windows.</summary>
    public int Stride { get; }

    /// <summary>The number of windows: <c>(Length - T - 1) / stride + 1</c>.</summary>
    public override int Count { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<ColumnInfo> Columns => _columns;

    /// <inheritdoc/>
    public override string Source => _corpus.Source;

    /// <summary>Names the window's tokens in the file: <c>input.txt, bytes [1200, 1264)</c>.</summary>
    /// <param name="index">The example.</param>
    /// <returns>The description.</returns>
    public override string DescribeExample(int index)
    {
        long start = _corpus.Offset + (long)index * Stride;
        return $"{Source}, bytes [{start}, {start + ContextLength})";
    }

    /// <inheritdoc/>
    public override void Fill(ReadOnlySpan<int> indices, Batch batch)
    {
        CheckFill(indices, batch);
        ReadOnlySpan<byte> text = _corpus.Bytes;
        Span<int> tokens = batch.IntBuffer(0), targets = batch.IntBuffer(1);
        int t = ContextLength;
        for (int k = 0; k < indices.Length; k++)
        {
            ReadOnlySpan<byte> window = text.Slice(indices[k] * Stride, t + 1);
            Span<int> tokenRow = tokens.Slice(k * t, t), targetRow = targets.Slice(k * t, t);
            for (int j = 0; j < t; j++)
            {
                tokenRow[j] = window[j];
                targetRow[j] = window[j + 1];
            }
        }

        batch.SetExamples(indices);
    }
}
