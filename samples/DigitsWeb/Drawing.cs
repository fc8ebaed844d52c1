using System;

namespace DigitsWeb;

/// <summary>
/// The drawing as the page sends it, a 32x32 bitmap, and its reduction to the 8x8 features the
/// model was trained on: the UCI digits were made the same way, each feature being the count of
/// set pixels in one non-overlapping 4x4 block of a 32x32 bitmap (0-16).
/// </summary>
public static class Drawing
{
    /// <summary>Pixels along each side of the bitmap.</summary>
    public const int Side = 32;

    /// <summary>Pixels along each side of one block.</summary>
    public const int Block = 4;

    /// <summary>Blocks along each side (8), so 64 features.</summary>
    public const int Cells = Side / Block;

    /// <summary>The number of features (64).</summary>
    public const int FeatureCount = Cells * Cells;

    /// <summary>The number of pixels (1024).</summary>
    public const int PixelCount = Side * Side;

    /// <summary>
    /// Checks a bitmap from a request: exactly <see cref="PixelCount"/> values, row-major, each 0 or 1.
    /// </summary>
    /// <param name="pixels">The values as parsed (NaN and infinities possible).</param>
    /// <returns>Null when valid, otherwise a message for the client naming the first problem.</returns>
    public static string? Validate(float[]? pixels)
    {
        if (pixels is null)
            return $"'pixels' is required: {PixelCount} values (a {Side}x{Side} bitmap, row-major), each 0 or 1.";
        if (pixels.Length != PixelCount)
            return $"'pixels' has {pixels.Length} values; expected {PixelCount} (a {Side}x{Side} bitmap, row-major).";
        for (int i = 0; i < pixels.Length; i++)
        {
            float p = pixels[i];
            if (p != 0f && p != 1f)
                return $"pixels[{i}] (row {i / Side}, column {i % Side}) is {p}; each pixel must be 0 or 1.";
        }

        return null;
    }

    /// <summary>Counts the set pixels of each 4x4 block: the 64 UCI features, 0-16, row-major.</summary>
    /// <param name="bitmap">A valid bitmap (see <see cref="Validate"/>).</param>
    /// <returns>64 counts.</returns>
    /// <exception cref="ArgumentException">The bitmap is not <see cref="PixelCount"/> values long.</exception>
    public static int[] BlockCounts(ReadOnlySpan<float> bitmap)
    {
        if (bitmap.Length != PixelCount)
            throw new ArgumentException($"Expected {PixelCount} pixels, got {bitmap.Length}.", nameof(bitmap));
        int[] counts = new int[FeatureCount];
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                if (bitmap[y * Side + x] != 0f)
                    counts[y / Block * Cells + x / Block]++;
            }
        }

        return counts;
    }

    /// <summary>The model's input: the block counts scaled by 1/16, as the Digits sample loads its CSV.</summary>
    /// <param name="counts">64 counts, 0-16.</param>
    /// <returns>64 features in [0, 1].</returns>
    public static float[] Features(ReadOnlySpan<int> counts)
    {
        float[] features = new float[counts.Length];
        for (int i = 0; i < counts.Length; i++)
            features[i] = counts[i] / 16f;
        return features;
    }
}
