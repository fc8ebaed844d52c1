using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Dsl;
using DigitsWeb;

namespace DigitsWeb.Tests;

/// <summary>
/// The Digits sample's held-out test split (the last 15%, as <c>samples/Digits</c> splits with seed
/// 0), as block counts, and their drawing on the app's 32x32 pad.
/// </summary>
internal static class TestDigits
{
    private static readonly Lazy<(int[][] Counts, int[] Labels)> Split = new(Load);

    /// <summary>The digits CSV the app ships (copied beside the tests by the project reference).</summary>
    public static string DataPath => Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");

    /// <summary>The checkpoint the app ships.</summary>
    public static string CheckpointPath => Path.Combine(AppContext.BaseDirectory, "model", "digits.safetensors");

    /// <summary>Each test example's 64 counts, 0-16.</summary>
    public static int[][] Counts => Split.Value.Counts;

    /// <summary>Each test example's digit.</summary>
    public static int[] Labels => Split.Value.Labels;

    /// <summary>The first test example of a digit.</summary>
    public static int FirstOf(int digit) => Array.IndexOf(Labels, digit);

    /// <summary>The first test example of a digit that the model classifies as that digit.</summary>
    public static async Task<int> FirstRecognisedAsync(DigitsModelHost model, int digit)
    {
        for (int i = 0; i < Labels.Length; i++)
        {
            if (Labels[i] != digit)
                continue;
            float[] p = (await model.PredictAsync(Features(i))).Probabilities;
            if (Array.IndexOf(p, p.Max()) == digit)
                return i;
        }

        throw new InvalidOperationException($"The model recognises none of the test split's {digit}s.");
    }

    /// <summary>
    /// A 32x32 bitmap whose 4x4 block counts are exactly <paramref name="counts"/>: each block sets
    /// its count of pixels, nearest the block's centre first, so strokes look like strokes.
    /// </summary>
    public static float[] Bitmap(int[] counts)
    {
        float[] bitmap = new float[Drawing.PixelCount];
        for (int cell = 0; cell < Drawing.FeatureCount; cell++)
        {
            int top = cell / Drawing.Cells * Drawing.Block, left = cell % Drawing.Cells * Drawing.Block;
            for (int k = 0; k < counts[cell]; k++)
            {
                int inner = CentreFirst[k];
                bitmap[(top + inner / Drawing.Block) * Drawing.Side + left + inner % Drawing.Block] = 1;
            }
        }

        return bitmap;
    }

    /// <summary>The model's features of a test example (counts / 16).</summary>
    public static float[] Features(int index) => Drawing.Features(Counts[index]);

    // The 16 pixels of a 4x4 block ordered by distance from its centre (the 4 inner ones, then edges, then corners).
    private static readonly int[] CentreFirst = { 5, 6, 9, 10, 1, 2, 4, 7, 8, 11, 13, 14, 0, 3, 12, 15 };

    private static (int[][], int[]) Load()
    {
        var all = CsvDataset.Load(DataPath, new CsvOptions { Classes = 10 });
        var rest = all.Split(0.7, seed: 0).Second;
        var test = (Subset)rest.Split(0.5, seed: 0).Second;
        int[][] counts = new int[test.Count][];
        int[] labels = new int[test.Count];
        for (int i = 0; i < test.Count; i++)
        {
            int row = test.Indices[i];
            counts[i] = new int[Drawing.FeatureCount];
            for (int f = 0; f < Drawing.FeatureCount; f++)
                counts[i][f] = (int)all.Features[row * Drawing.FeatureCount + f];
            labels[i] = all.Labels[row];
        }

        return (counts, labels);
    }
}
