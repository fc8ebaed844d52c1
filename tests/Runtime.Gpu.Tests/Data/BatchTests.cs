using System;
using Xunit;

namespace Dsl.Tests.Data;

public sealed class BatchTests
{
    private static readonly ColumnInfo[] Columns =
    [
        new("image", ColumnType.Float32, [2, 3]),
        new("label", ColumnType.Int32, []),
    ];

    [Fact]
    public void ColumnInfoComparesShapesByValue()
    {
        var a = new ColumnInfo("x", ColumnType.Float32, [8, 8]);
        var b = new ColumnInfo("x", ColumnType.Float32, [8, 8]);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new ColumnInfo("x", ColumnType.Float32, [64]));
        Assert.NotEqual(a, new ColumnInfo("x", ColumnType.Int32, [8, 8]));
        Assert.NotEqual(a, new ColumnInfo("X", ColumnType.Float32, [8, 8]));
        Assert.Equal("x: Float32 [8, 8]", a.ToString());
    }

    [Fact]
    public void ColumnInfoSizeIsTheProductOfTheShapeAndOneForAScalar()
    {
        Assert.Equal(64, new ColumnInfo("x", ColumnType.Float32, [8, 8]).ExampleSize);
        Assert.Equal(1, new ColumnInfo("y", ColumnType.Int32, []).ExampleSize);
        var reshaped = new ColumnInfo("x", ColumnType.Float32, [8, 8]) with { ExampleShape = [4, 3] };
        Assert.Equal(12, reshaped.ExampleSize);
    }

    [Fact]
    public void ColumnInfoCopiesItsShape()
    {
        int[] shape = [3];
        var column = new ColumnInfo("x", ColumnType.Float32, shape);
        shape[0] = 7;
        Assert.Equal(new[] { 3 }, column.ExampleShape);
        Assert.Equal(3, column.ExampleSize);
    }

    [Fact]
    public void ColumnInfoRejectsAnEmptyName()
    {
        var e = Assert.Throws<ArgumentException>(() => new ColumnInfo(" ", ColumnType.Float32, [1]));
        Assert.Contains("column name must not be empty", e.Message);
    }

    [Fact]
    public void ColumnInfoRejectsAZeroDimension()
    {
        var e = Assert.Throws<ArgumentException>(() => new ColumnInfo("x", ColumnType.Float32, [4, 0]));
        Assert.Contains("shape [4, 0] has a dimension below 1", e.Message);
    }

    [Fact]
    public void BuffersHoldCapacityExamplesAndReadsReturnCountExamples()
    {
        var batch = new Batch(Columns, capacity: 4);
        Assert.Equal(24, batch.FloatBuffer(0).Length);
        Assert.Equal(4, batch.IntBuffer(1).Length);
        Assert.Equal(0, batch.Floats(0).Length);

        batch.FloatBuffer(0)[..12].Fill(2.5f);
        batch.IntBuffer(1)[0] = 7;
        batch.IntBuffer(1)[1] = 3;
        batch.SetExamples([10, 11]);
        Assert.Equal(2, batch.Count);
        Assert.Equal(new[] { 10, 11 }, batch.ExampleIndices.ToArray());
        Assert.Equal(12, batch.Floats(0).Length);
        Assert.Equal(new[] { 7, 3 }, batch.Ints(1).ToArray());
        Assert.Equal(1, batch.IndexOf("label"));
        Assert.Equal(-1, batch.IndexOf("missing"));
    }

    [Fact]
    public void ReadingTheWrongTypeNamesConsumerColumnAndTypes()
    {
        var batch = new Batch(Columns, 2);
        var e = Assert.Throws<InvalidOperationException>(() => batch.Floats(1, "TrainingStep input 'y'"));
        Assert.Equal("TrainingStep input 'y' takes Float32 values but batch column 1 'label' holds Int32.", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => batch.Ints(0, "TrainingStep input 'x'"));
        Assert.Equal("TrainingStep input 'x' takes Int32 values but batch column 0 'image' holds Float32.", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => batch.Ints(0));
        Assert.Equal("Batch column 0 'image' holds Float32 values, not Int32.", e.Message);
    }

    [Fact]
    public void SetExamplesRejectsMoreThanCapacity()
    {
        var batch = new Batch(Columns, 2);
        var e = Assert.Throws<ArgumentException>(() => batch.SetExamples([1, 2, 3]));
        Assert.StartsWith("3 examples do not fit in a batch of capacity 2.", e.Message);
    }

    [Fact]
    public void ReadsAndFillsAllocateNothing()
    {
        var batch = new Batch(Columns, 8);
        int[] indices = [5, 6, 7];
        batch.SetExamples(indices);
        long before = GC.GetAllocatedBytesForCurrentThread();
        float sum = 0;
        for (int i = 0; i < 100; i++)
        {
            batch.SetExamples(indices);
            sum += batch.Floats(0, "step").Length + batch.Ints(1).Length + batch.FloatBuffer(0).Length + batch.IntBuffer(1).Length;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(100 * (18 + 3 + 48 + 8), sum);
    }
}
