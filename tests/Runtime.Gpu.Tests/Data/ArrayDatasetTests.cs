using System;
using System.Linq;
using Xunit;

namespace Dsl.Tests.Data;

public sealed class ArrayDatasetTests
{
    /// <summary>Ten examples of three features: example i holds (i, 10 + i, 20 + i), label i % 3.</summary>
    internal static ArrayDataset Ten()
    {
        float[] x = new float[30];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++)
        {
            x[3 * i] = i;
            x[3 * i + 1] = 10 + i;
            x[3 * i + 2] = 20 + i;
            y[i] = i % 3;
        }

        return ArrayDataset.FromFeatures(x, 3, y);
    }

    [Fact]
    public void FromFeaturesMakesAFeatureAndALabelColumn()
    {
        ArrayDataset data = Ten();
        Assert.Equal(10, data.Count);
        Assert.Equal(new ColumnInfo("x", ColumnType.Float32, [3]), data.Columns[0]);
        Assert.Equal(new ColumnInfo("y", ColumnType.Int32, []), data.Columns[1]);
        Assert.Equal("in-memory arrays", data.Source);
        Assert.Equal("in-memory arrays, example 5", data.DescribeExample(5));
    }

    [Fact]
    public void FillCopiesTheChosenExamplesInOrder()
    {
        ArrayDataset data = Ten();
        var batch = new Batch(data.Columns, 4);
        data.Fill([7, 2, 3, 4], batch);
        Assert.Equal(new float[] { 7, 17, 27, 2, 12, 22, 3, 13, 23, 4, 14, 24 }, batch.Floats(0).ToArray());
        Assert.Equal(new[] { 1, 2, 0, 1 }, batch.Ints(1).ToArray());
        Assert.Equal(new[] { 7, 2, 3, 4 }, batch.ExampleIndices.ToArray());
    }

    [Fact]
    public void ColumnsWithDifferentExampleCountsAreNamedWithTheirCounts()
    {
        var e = Assert.Throws<ArgumentException>(() => new ArrayDataset(
            (new ColumnInfo("x", ColumnType.Float32, [2]), new float[20]),
            (new ColumnInfo("y", ColumnType.Int32, []), new int[9])));
        Assert.StartsWith("The columns hold different numbers of examples: 'x' 10, 'y' 9.", e.Message);
    }

    [Fact]
    public void ValuesOfTheWrongTypeAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new ArrayDataset((new ColumnInfo("y", ColumnType.Int32, []), new float[3])));
        Assert.StartsWith("Column 'y' is Int32 but its values are Single[]; give a int[].", e.Message);
    }

    [Fact]
    public void UnsignedValuesAreNotTakenForInt32()
    {
        // The CLR lets a uint[] pass "is int[]"; the check must be exact.
        var e = Assert.Throws<ArgumentException>(() => new ArrayDataset((new ColumnInfo("y", ColumnType.Int32, []), (Array)new uint[3])));
        Assert.StartsWith("Column 'y' is Int32 but its values are UInt32[]; give a int[].", e.Message);
    }

    [Fact]
    public void ALengthThatIsNotWholeExamplesIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new ArrayDataset((new ColumnInfo("x", ColumnType.Float32, [4]), new float[10])));
        Assert.StartsWith("Column 'x' holds 10 values, not a whole number of 4-value examples.", e.Message);
    }

    [Fact]
    public void FromFeaturesChecksTheFeatureCount()
    {
        var e = Assert.Throws<ArgumentException>(() => ArrayDataset.FromFeatures(new float[29], 3, new int[10]));
        Assert.StartsWith("10 labels need 30 features (3 each), but 29 are given.", e.Message);
    }

    [Fact]
    public void FillRejectsABatchForOtherColumns()
    {
        ArrayDataset data = Ten();
        var batch = new Batch([new ColumnInfo("x", ColumnType.Float32, [4])], 2);
        var e = Assert.Throws<ArgumentException>(() => data.Fill([0], batch));
        Assert.StartsWith("The batch has columns (x: Float32 [4]) but in-memory arrays has (x: Float32 [3], y: Int32 []).", e.Message);
    }

    [Fact]
    public void FillRejectsAnIndexOutsideTheDataset()
    {
        ArrayDataset data = Ten();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => data.Fill([3, 10], new Batch(data.Columns, 2)));
        Assert.StartsWith("Example index 10 is outside the 10 examples of in-memory arrays.", e.Message);
    }

    [Fact]
    public void SplitGivesDisjointPartsCoveringEverythingWithTheRoundedSizes()
    {
        ArrayDataset data = Ten();
        var (first, second) = data.Split(0.75, seed: 3);
        Assert.Equal(8, first.Count); // round(7.5) = 8
        Assert.Equal(2, second.Count);
        int[] a = ((Subset)first).Indices.ToArray(), b = ((Subset)second).Indices.ToArray();
        Assert.Empty(a.Intersect(b));
        Assert.Equal(Enumerable.Range(0, 10), a.Concat(b).Order());
        Assert.Equal(a.Order(), a); // each part keeps file order
    }

    [Fact]
    public void SplitIsAFunctionOfTheSeed()
    {
        ArrayDataset data = Ten();
        int[] Second(int seed) => ((Subset)data.Split(0.5, seed).Second).Indices.ToArray();
        Assert.Equal(Second(1), Second(1));
        Assert.Contains(Enumerable.Range(2, 20), seed => !Second(seed).SequenceEqual(Second(1)));
    }

    [Fact]
    public void SplitRejectsAFractionOutsideZeroToOne()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ten().Split(1.0, 0));
        Assert.StartsWith("The fraction of examples in the first part must be strictly between 0 and 1.", e.Message);
    }

    [Fact]
    public void SplitRejectsAnEmptyPart()
    {
        var e = Assert.Throws<ArgumentException>(() => Ten().Split(0.97, 0));
        Assert.StartsWith("Splitting the 10 examples of in-memory arrays at 0.97 leaves the second part empty.", e.Message);
    }

    [Fact]
    public void SubsetsFillAndDescribeThroughTheUnderlyingIndices()
    {
        ArrayDataset data = Ten();
        Dataset tail = data.Take(4, 5);      // examples 4..8
        Dataset inner = tail.Take(1, 3);     // examples 5..7
        Assert.Equal(3, inner.Count);
        Assert.Same(data, ((Subset)inner).Underlying);
        Assert.Equal("in-memory arrays, example 6", inner.DescribeExample(1));
        var batch = new Batch(inner.Columns, 2);
        inner.Fill([2, 0], batch);
        Assert.Equal(new float[] { 7, 17, 27, 5, 15, 25 }, batch.Floats(0).ToArray());
        Assert.Equal(new[] { 2, 0 }, batch.ExampleIndices.ToArray()); // indices of the view, not of the array
    }

    [Fact]
    public void TakeRejectsARunBeyondTheEnd()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ten().Take(8, 3));
        Assert.StartsWith("Examples [8, 11) do not lie within the 10 examples of in-memory arrays.", e.Message);
    }
}
