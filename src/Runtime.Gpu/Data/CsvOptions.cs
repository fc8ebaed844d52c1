namespace Dsl;

/// <summary>How <see cref="CsvDataset.Load"/> reads a file of numbers.</summary>
public sealed class CsvOptions
{
    /// <summary>Whether the first line names the columns (it is then not data). Default: no.</summary>
    public bool HasHeader { get; init; }

    /// <summary>The field separator. Default: a comma.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>
    /// The 0-based field that holds the integer class label: negative values count from the end
    /// (-1, the default, is the last field); <see langword="null"/> means the file has no labels.
    /// </summary>
    public int? LabelColumn { get; init; } = -1;

    /// <summary>The number of classes, when known: every label must then lie in [0, Classes). Default: not checked beyond being non-negative.</summary>
    public int? Classes { get; init; }

    /// <summary>A factor applied to every feature as it is read (1/16f for the 0..16 digits). Default: 1.</summary>
    public float FeatureScale { get; init; } = 1f;

    /// <summary>
    /// The most bytes the file may hold once decompressed; a larger file fails, naming the file and
    /// this limit, before more is read. Default: <see cref="DataFileOptions.DefaultMaxBytes"/> (1 GiB).
    /// </summary>
    public long MaxBytes { get; init; } = DataFileOptions.DefaultMaxBytes;
}
