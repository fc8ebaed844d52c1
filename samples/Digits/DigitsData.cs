using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace Digits;

/// <summary>The digits set: pixels scaled to [0, 1], one row of 64 per example, and the labels.</summary>
public sealed record DigitsData(float[] Pixels, int[] Labels)
{
    public const int PixelCount = 64;

    public int Count => Labels.Length;

    /// <summary>Reads <c>digits.csv.gz</c>; a malformed line is an error naming the file and line.</summary>
    public static DigitsData Load(string path)
    {
        var pixels = new System.Collections.Generic.List<float>();
        var labels = new System.Collections.Generic.List<int>();
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            string[] fields = line.Split(',');
            if (fields.Length != PixelCount + 1)
                throw new InvalidDataException($"{path}:{lineNumber}: expected {PixelCount + 1} comma-separated values, found {fields.Length}.");
            for (int i = 0; i < PixelCount; i++)
                pixels.Add(float.Parse(fields[i], CultureInfo.InvariantCulture) / 16f);
            labels.Add(int.Parse(fields[PixelCount], CultureInfo.InvariantCulture));
        }
        return new DigitsData(pixels.ToArray(), labels.ToArray());
    }

    /// <summary>A seeded shuffle split into the first <paramref name="trainFraction"/> and the rest.</summary>
    public (DigitsData Train, DigitsData Test) Split(double trainFraction, int seed)
    {
        int[] order = new int[Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        new Random(seed).Shuffle(order);
        int trainCount = (int)Math.Round(Count * trainFraction);
        return (Take(order.AsSpan(0, trainCount)), Take(order.AsSpan(trainCount)));
    }

    private DigitsData Take(ReadOnlySpan<int> indices)
    {
        var pixels = new float[indices.Length * PixelCount];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            Pixels.AsSpan(indices[i] * PixelCount, PixelCount).CopyTo(pixels.AsSpan(i * PixelCount));
            labels[i] = Labels[indices[i]];
        }
        return new DigitsData(pixels, labels);
    }
}
