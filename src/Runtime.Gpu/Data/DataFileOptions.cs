namespace Dsl;

/// <summary>
/// Limits on reading a data file (<see cref="IdxFile.Read"/>, <see cref="IdxDataset.Load"/>,
/// <see cref="TextCorpus.Load"/>). A file comes from outside the program, so what it declares
/// about itself is checked against these limits before anything of that size is allocated.
/// </summary>
public sealed class DataFileOptions
{
    /// <summary>The default <see cref="MaxBytes"/>: 1 GiB, twenty times MNIST's largest file.</summary>
    public const long DefaultMaxBytes = 1L << 30;

    /// <summary>
    /// The most bytes a file may hold once decompressed. A file over it fails with an
    /// <see cref="System.IO.InvalidDataException"/> naming the file and this limit, before its
    /// contents are inflated into memory (a few megabytes of gzip can declare or inflate to
    /// gigabytes). Default: <see cref="DefaultMaxBytes"/>; raise it for larger genuine data.
    /// </summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;
}
