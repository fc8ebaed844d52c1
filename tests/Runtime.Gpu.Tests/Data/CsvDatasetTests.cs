using System;
using System.IO;
using Xunit;

namespace Dsl.Tests.Data;

public sealed class CsvDatasetTests : IDisposable
{
    // Four examples of four features and a label, as the digits file lays them out.
    private const string Digits = "0,1,2,16,0\n4,5,6,8,1\n\n8,9,10,11,9\n12,13,14,15,3\n";

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static string RandomRows(int rows)
    {
        var random = new Random(1);
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < rows; i++)
            text.Append(random.Next(1000)).Append(',').Append(random.Next(1000)).Append(',').Append(random.Next(10)).Append('\n');
        return text.ToString();
    }

    private static InvalidDataException Fails(string path, CsvOptions? options = null) =>
        Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, options));

    [Theory]
    [InlineData("digits.csv")]
    [InlineData("digits.csv.gz")]
    public void ReadsFeaturesAndLastFieldLabels(string name)
    {
        CsvDataset data = CsvDataset.Load(_directory.WriteText(name, Digits), new CsvOptions { FeatureScale = 1 / 16f, Classes = 10 });
        Assert.Equal(4, data.Count);
        Assert.Equal(4, data.FeatureCount);
        Assert.Equal(new ColumnInfo("x", ColumnType.Float32, [4]), data.Columns[0]);
        Assert.Equal(new ColumnInfo("y", ColumnType.Int32, []), data.Columns[1]);
        Assert.Equal(new[] { 0, 1, 9, 3 }, data.Labels.ToArray());
        Assert.Equal(new[] { 0f, 1 / 16f, 2 / 16f, 1f }, data.Features[..4].ToArray());
        Assert.Equal(name, data.Source);
        Assert.Equal($"{name} line 4", data.DescribeExample(2)); // the blank line 3 is skipped but counted

        var batch = new Batch(data.Columns, 2);
        data.Fill([3, 1], batch);
        Assert.Equal(new[] { 12 / 16f, 13 / 16f, 14 / 16f, 15 / 16f, 4 / 16f, 5 / 16f, 6 / 16f, 8 / 16f }, batch.Floats(0).ToArray());
        Assert.Equal(new[] { 3, 1 }, batch.Ints(1).ToArray());
    }

    [Fact]
    public void ReadsAHeaderAnotherSeparatorAndALabelInFront()
    {
        string path = _directory.WriteText("iris.csv", "species;length;width\r\n2; 5.1 ;-3.5e-1\r\n0;4.9;3.0\r\n");
        CsvDataset data = CsvDataset.Load(path, new CsvOptions { HasHeader = true, Separator = ';', LabelColumn = 0 });
        Assert.Equal(new[] { "species", "length", "width" }, data.Header);
        Assert.Equal(new[] { 5.1f, -0.35f, 4.9f, 3.0f }, data.Features.ToArray());
        Assert.Equal(new[] { 2, 0 }, data.Labels.ToArray());
        Assert.Equal("iris.csv line 2", data.DescribeExample(0));
    }

    [Fact]
    public void WithoutALabelColumnEveryFieldIsAFeature()
    {
        CsvDataset data = CsvDataset.Load(_directory.WriteText("x.csv", "1,2\n3,4\n"), new CsvOptions { LabelColumn = null });
        Assert.False(data.HasLabels);
        Assert.Single(data.Columns);
        Assert.Equal(new[] { 1f, 2, 3, 4 }, data.Features.ToArray());
    }

    [Fact]
    public void WholeNumberLabelsWrittenAsFloatsAreAccepted()
    {
        CsvDataset data = CsvDataset.Load(_directory.WriteText("y.csv", "1,3.0\n2,1e0\n"));
        Assert.Equal(new[] { 3, 1 }, data.Labels.ToArray());
    }

    [Fact]
    public void ALineWithTheWrongFieldCountNamesFileLineAndCounts()
    {
        string path = _directory.WriteText("digits.csv.gz", "1,2,3,4,5\n1,2,3,4,5\n1,2,3,4\n");
        Assert.Equal("digits.csv.gz line 3: 4 fields; expected 5 like line 1", Fails(path).Message);
    }

    [Fact]
    public void ANonNumberNamesLineColumnAndText()
    {
        string path = _directory.WriteText("digits.csv", "1,2,3\n4,x1,6\n");
        Assert.Equal("digits.csv line 2, column 2: 'x1' is not a number", Fails(path).Message);
    }

    [Fact]
    public void AnEmptyFieldIsReported()
    {
        string path = _directory.WriteText("digits.csv", "1,2,3\n4,,6\n");
        Assert.Equal("digits.csv line 2, column 2: the field is empty", Fails(path).Message);
    }

    [Fact]
    public void ALabelThatIsNotAnIntegerIsReported()
    {
        string path = _directory.WriteText("digits.csv", "1,2,3\n4,5,2.5\n");
        Assert.Equal("digits.csv line 2, column 3: label '2.5' is not an integer", Fails(path).Message);
    }

    [Fact]
    public void ALabelOutsideTheClassesIsReported()
    {
        string path = _directory.WriteText("digits.csv", "label,a\n9,0.5\n10,0.5\n");
        var options = new CsvOptions { HasHeader = true, LabelColumn = 0, Classes = 10 };
        Assert.Equal("digits.csv line 3, column 1: label 10 is outside [0, 10) (CsvOptions.Classes = 10)", Fails(path, options).Message);
    }

    [Fact]
    public void ANegativeLabelIsReportedEvenWithoutClasses()
    {
        string path = _directory.WriteText("digits.csv", "1,2,-1\n");
        Assert.Equal("digits.csv line 1, column 3: label -1 is negative; class labels start at 0", Fails(path).Message);
    }

    [Fact]
    public void AnEmptyFileIsReported()
    {
        string path = _directory.WriteText("digits.csv", "\n\n");
        Assert.Equal("digits.csv is empty: it holds no data rows.", Fails(path).Message);
    }

    [Fact]
    public void AHeaderWithoutRowsIsReported()
    {
        string path = _directory.WriteText("digits.csv", "a,b,label\n");
        Assert.Equal("digits.csv has a header but no data rows.", Fails(path, new CsvOptions { HasHeader = true }).Message);
    }

    [Fact]
    public void NaNIsReported()
    {
        string path = _directory.WriteText("digits.csv", "1,2,3\n4,NaN,6\n");
        Assert.Equal("digits.csv line 2, column 2: 'NaN' is not a finite number", Fails(path).Message);
    }

    [Fact]
    public void InfinityIsReported()
    {
        string path = _directory.WriteText("digits.csv", "-Infinity,2,3\n");
        Assert.Equal("digits.csv line 1, column 1: '-Infinity' is not a finite number", Fails(path).Message);
    }

    [Fact]
    public void AValueBeyondFloatRangeIsReported()
    {
        string path = _directory.WriteText("digits.csv", "1e39,2,3\n");
        Assert.Equal("digits.csv line 1, column 1: '1e39' is not a finite number", Fails(path).Message);
    }

    [Fact]
    public void AValueThatOverflowsOnceScaledIsReported()
    {
        string path = _directory.WriteText("digits.csv", "3e38,2,3\n");
        Assert.Equal("digits.csv line 1, column 1: '3e38' is not a finite number once scaled by FeatureScale 10", Fails(path, new CsvOptions { FeatureScale = 10 }).Message);
    }

    [Fact]
    public void ALabelColumnBeyondTheFieldsIsReported()
    {
        string path = _directory.WriteText("digits.csv", "1,2,3\n");
        Assert.Equal("digits.csv line 1: CsvOptions.LabelColumn 3 does not exist; the line has 3 fields.", Fails(path, new CsvOptions { LabelColumn = 3 }).Message);
    }

    [Fact]
    public void ALineWithOnlyALabelIsReported()
    {
        string path = _directory.WriteText("labels.csv", "1\n2\n");
        Assert.Equal("labels.csv line 1: the only field is the label; there are no features.", Fails(path).Message);
    }

    [Fact]
    public void ATruncatedGzipFileIsReportedNotReadShort()
    {
        // Cut at a point that would decompress to whole lines: without the trailer check this
        // would load silently with rows missing.
        string path = _directory.WriteText("cut.csv.gz", RandomRows(2000));
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.StartsWith("cut.csv.gz: the gzip data is truncated: it ends after ", Fails(path).Message);
    }

    [Fact]
    public void CorruptGzipDataIsReportedWithTheFileName()
    {
        string path = _directory.WriteText("bad.csv.gz", RandomRows(2000));
        byte[] bytes = File.ReadAllBytes(path);
        for (int i = 100; i < 200; i++)
            bytes[i] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        Assert.StartsWith("bad.csv.gz: the gzip data is corrupt: ", Fails(path).Message);
    }

    [Theory]
    [InlineData("1,2\0\0,0\n", 2, 2)]
    [InlineData("1,2,3\0\n", 3, 2)]
    [InlineData("\0,2,3\n", 1, 1)]
    public void ANulInAFieldIsAnErrorNotTheNumberBeforeIt(string line, int column, int position)
    {
        // .NET's parsers stop at a NUL: "2\0\0" would load as 2 and a label "3\0" as 3.
        string path = _directory.WriteText("nul.csv", "4,5,6\n" + line);
        Assert.Equal($"nul.csv line 2, column {column}: the field holds a NUL character (byte 0) at position {position}; expected a number (is this a binary file?)", Fails(path).Message);
    }

    [Fact]
    public void ADirectoryIsNamedAsADirectory()
    {
        var e = Assert.Throws<FileNotFoundException>(() => CsvDataset.Load(_directory.Path));
        Assert.Equal($"Data file '{_directory.Path}' is a directory, not a file.", e.Message);
    }

    [Fact]
    public void AMissingFileIsReported()
    {
        var e = Assert.Throws<FileNotFoundException>(() => CsvDataset.Load(Path.Combine(_directory.Path, "none.csv")));
        Assert.Contains("none.csv' does not exist", e.Message);
    }

    [Fact]
    public void ClassesWithoutALabelColumnIsRejected()
    {
        string path = _directory.WriteText("x.csv", "1,2\n");
        var e = Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, new CsvOptions { LabelColumn = null, Classes = 3 }));
        Assert.StartsWith("CsvOptions.Classes is set but LabelColumn is null", e.Message);
    }
}
