using System;
using Dsl;

namespace DigitsWeb;

/// <summary>
/// The examples a correction is trained beside: the Digits sample's training split (70% of the
/// UCI digits, the same seed and split as <c>samples/Digits</c>), so one drawing nudges the model
/// without making it forget the rest. A single correction on its own would push every weight
/// toward that one example.
/// </summary>
public sealed class ReplaySet
{
    private readonly float[] _features;
    private readonly int[] _labels;

    private ReplaySet(float[] features, int[] labels)
    {
        _features = features;
        _labels = labels;
    }

    /// <summary>The number of examples.</summary>
    public int Count => _labels.Length;

    /// <summary>Loads the training split of the digits CSV (features scaled by 1/16, as the sample trains).</summary>
    /// <param name="path">The digits CSV (gzip allowed).</param>
    /// <param name="seed">The split's seed (the sample's default is 0).</param>
    /// <returns>The training split.</returns>
    public static ReplaySet LoadTrainingSplit(string path, int seed = 0)
    {
        var all = CsvDataset.Load(path, new CsvOptions { Classes = 10, FeatureScale = 1 / 16f });
        var train = (Subset)all.Split(0.7, seed).First;
        ReadOnlySpan<int> indices = train.Indices;
        ReadOnlySpan<float> features = all.Features;
        ReadOnlySpan<int> labels = all.Labels;
        float[] x = new float[indices.Length * Drawing.FeatureCount];
        int[] y = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            features.Slice(indices[i] * Drawing.FeatureCount, Drawing.FeatureCount).CopyTo(x.AsSpan(i * Drawing.FeatureCount));
            y[i] = labels[indices[i]];
        }

        return new ReplaySet(x, y);
    }

    /// <summary>Copies example <paramref name="index"/> into row <paramref name="row"/> of a batch.</summary>
    /// <param name="index">The example.</param>
    /// <param name="features">The batch's features, 64 per row.</param>
    /// <param name="labels">The batch's labels.</param>
    /// <param name="row">The row to fill.</param>
    public void CopyTo(int index, Span<float> features, Span<int> labels, int row)
    {
        _features.AsSpan(index * Drawing.FeatureCount, Drawing.FeatureCount).CopyTo(features.Slice(row * Drawing.FeatureCount));
        labels[row] = _labels[index];
    }
}
