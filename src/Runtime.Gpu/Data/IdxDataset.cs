using System;
using System.Collections.Generic;
using System.IO;
using Dsl.Data;

namespace Dsl;

/// <summary>
/// An image classification dataset from a pair of IDX files (MNIST, Fashion-MNIST, KMNIST): column
/// <c>x</c> holds each image flattened (Float32, [rows * cols]), column <c>y</c> its label (Int32, scalar).
/// </summary>
public sealed class IdxDataset : Dataset
{
    private readonly ColumnInfo[] _columns;
    private readonly float[] _images;
    private readonly int[] _labels;
    private readonly int[] _imageShape;

    private IdxDataset(string imagesSource, string labelsSource, int[] imageShape, float[] images, int[] labels)
    {
        Source = imagesSource;
        LabelsSource = labelsSource;
        _imageShape = imageShape;
        _images = images;
        _labels = labels;
        _columns =
        [
            new ColumnInfo("x", ColumnType.Float32, [images.Length / labels.Length]),
            new ColumnInfo("y", ColumnType.Int32, []),
        ];
    }

    /// <summary>Reads an images file and a labels file (either may be gzip-compressed).</summary>
    /// <param name="imagesPath">The IDX file of images, dimensions [count, rows, cols] (or more).</param>
    /// <param name="labelsPath">The IDX file of labels, dimensions [count], of an integer type.</param>
    /// <param name="scale">The factor applied to every pixel; the default maps bytes to [0, 1].</param>
    /// <param name="options">Limits on each file; <see langword="null"/> for the defaults.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="FileNotFoundException">Either file does not exist or is a directory.</exception>
    /// <exception cref="InvalidDataException">Either file is not valid IDX (see <see cref="IdxFile.Read"/>), the shapes are not images and labels, a label is negative, or the counts differ (the message names both files and counts).</exception>
    public static IdxDataset Load(string imagesPath, string labelsPath, float scale = 1f / 255, DataFileOptions? options = null)
    {
        if (!float.IsFinite(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The pixel scale must be a finite number.");
        IdxArray images = IdxFile.Read(imagesPath, options);
        IdxArray labels = IdxFile.Read(labelsPath, options);
        int[] imageDims = images.Dimensions, labelDims = labels.Dimensions;
        if (imageDims.Length < 2)
            throw new InvalidDataException($"{images.Source}: dimensions [{string.Join(", ", imageDims)}] are not images; expected [count, rows, cols].");
        if (labelDims.Length != 1)
            throw new InvalidDataException($"{labels.Source}: dimensions [{string.Join(", ", labelDims)}] are not labels; expected [count].");
        if (imageDims[0] != labelDims[0])
            throw new InvalidDataException($"{images.Source} holds {imageDims[0]} images but {labels.Source} holds {labelDims[0]} labels.");
        if (imageDims[0] == 0)
            throw new InvalidDataException($"{images.Source} holds no images.");
        if (Array.IndexOf(imageDims, 0, 1) >= 0)
            throw new InvalidDataException($"{images.Source}: dimensions [{string.Join(", ", imageDims)}] make empty images.");
        if (labels.ElementType is IdxElementType.Float32 or IdxElementType.Float64)
            throw new InvalidDataException($"{labels.Source}: labels are {labels.ElementType}; expected an integer type.");

        int[] labelValues = labels.ToInt32s();
        for (int i = 0; i < labelValues.Length; i++)
        {
            if (labelValues[i] < 0)
                throw new InvalidDataException($"{labels.Source}: label {i} is {labelValues[i]}; class labels start at 0.");
        }

        return new IdxDataset(images.Source, labels.Source, imageDims[1..], images.ToFloats(scale), labelValues);
    }

    /// <summary>The shape of one image before flattening ([28, 28] for MNIST). A copy.</summary>
    public int[] ImageShape => (int[])_imageShape.Clone();

    /// <summary>The labels file's name.</summary>
    public string LabelsSource { get; }

    /// <inheritdoc/>
    public override int Count => _labels.Length;

    /// <inheritdoc/>
    public override IReadOnlyList<ColumnInfo> Columns => _columns;

    /// <summary>The images file's name.</summary>
    public override string Source { get; }

    /// <summary>Names the image: <c>train-images-idx3-ubyte.gz, image 5</c> (0-based, as the files count).</summary>
    /// <param name="index">The example.</param>
    /// <returns>The description.</returns>
    public override string DescribeExample(int index) => $"{Source}, image {index}";

    /// <inheritdoc/>
    public override void Fill(ReadOnlySpan<int> indices, Batch batch)
    {
        CheckFill(indices, batch);
        Gather.Examples<float>(_images, _columns[0].ExampleSize, indices, batch.FloatBuffer(0));
        Gather.Examples<int>(_labels, 1, indices, batch.IntBuffer(1));
        batch.SetExamples(indices);
    }
}
