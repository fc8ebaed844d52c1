using System;
using System.Globalization;
using Xunit;

namespace Dsl.Attributes.Tests;

public class TensorTests
{
    [Fact]
    public void Constructor_StoresShapeAndRowMajorData()
    {
        var data = new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0 };
        var t = new Tensor(data, 2, 3);

        Assert.Equal(new[] { 2, 3 }, t.Shape);
        Assert.Equal(2, t.Rank);
        Assert.Equal(6, t.Length);
        Assert.Equal(data, t.Data.ToArray());
        Assert.Equal(6.0, t[5]);   // row 1, column 2 in row-major order
        Assert.Equal(4.0, t[3]);   // row 1, column 0
    }

    [Fact]
    public void Constructor_EmptyShapeIsAScalarWithOneElement()
    {
        var t = new Tensor(new[] { 2.5 });

        Assert.Empty(t.Shape);
        Assert.Equal(0, t.Rank);
        Assert.Equal(1, t.Length);
        Assert.Equal(2.5, t.Item());
    }

    [Fact]
    public void Constructor_DoesNotCopyTheData()
    {
        // Documented: the array is stored as given.
        var data = new[] { 1.0, 2.0 };
        var t = new Tensor(data, 2);
        data[0] = 9.0;
        Assert.Equal(9.0, t[0]);
    }

    [Fact]
    public void Constructor_CopiesTheShape()
    {
        var shape = new[] { 2 };
        var t = new Tensor(new[] { 1.0, 2.0 }, shape);
        shape[0] = 1;
        Assert.Equal(new[] { 2 }, t.Shape);
    }

    [Fact]
    public void Constructor_MismatchNamesCountAndShape()
    {
        var e = Assert.Throws<ArgumentException>(() => new Tensor(new double[5], 2, 3));
        Assert.Contains("5 values", e.Message);
        Assert.Contains("Tensor[2, 3]", e.Message);
        Assert.Contains("needs 6", e.Message);
        Assert.Equal("data", e.ParamName);
    }

    [Fact]
    public void Constructor_ScalarShapeNeedsExactlyOneValue()
    {
        var e = Assert.Throws<ArgumentException>(() => new Tensor(new double[3]));
        Assert.Contains("Tensor[]", e.Message);
    }

    [Fact]
    public void Constructor_RejectsNegativeDimensionsAndNulls()
    {
        var e = Assert.Throws<ArgumentException>(() => new Tensor(Array.Empty<double>(), 2, -1));
        Assert.Contains("Tensor[2, -1]", e.Message);
        Assert.Throws<ArgumentNullException>(() => new Tensor(null!, 1));
        Assert.Throws<ArgumentNullException>(() => new Tensor(new double[1], null!));
    }

    [Fact]
    public void Constructor_AllowsZeroSizedAxes()
    {
        var t = new Tensor(Array.Empty<double>(), 0, 4);
        Assert.Equal(0, t.Length);
        Assert.Equal(new[] { 0, 4 }, t.Shape);
    }

    [Fact]
    public void Scalar_HasRankZero()
    {
        var t = Tensor.Scalar(-3.5);
        Assert.Equal(0, t.Rank);
        Assert.Equal(-3.5, t.Item());
    }

    [Fact]
    public void FromFloats_WidensAndValidates()
    {
        var t = Tensor.FromFloats(new[] { 0.1f, 2f, -3f, 4f }, 2, 2);
        Assert.Equal(new[] { 2, 2 }, t.Shape);
        Assert.Equal((double)0.1f, t[0]);   // the float value, exactly widened
        Assert.Equal(-3.0, t[2]);
        Assert.Throws<ArgumentException>(() => Tensor.FromFloats(new[] { 1f, 2f }, 3));
    }

    [Fact]
    public void Zeros_FillsTheShape()
    {
        var t = Tensor.Zeros(3, 2);
        Assert.Equal(new[] { 3, 2 }, t.Shape);
        Assert.Equal(new double[6], t.Data.ToArray());
        Assert.Equal(0.0, Tensor.Zeros().Item());
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(-2));
    }

    [Fact]
    public void Shape_CannotBeModifiedThroughTheInterface()
    {
        var t = Tensor.Zeros(3);
        Assert.False(t.Shape is int[]);
    }

    [Fact]
    public void Indexer_OutOfRangeThrows()
    {
        var t = Tensor.Zeros(2);
        Assert.Throws<IndexOutOfRangeException>(() => t[2]);
    }

    [Fact]
    public void Item_WorksForAnyOneElementTensor()
    {
        Assert.Equal(7.0, new Tensor(new[] { 7.0 }, 1, 1).Item());
    }

    [Fact]
    public void Item_OnSeveralElementsNamesTheShape()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(3).Item());
        Assert.Contains("Tensor[3]", e.Message);
    }

    [Fact]
    public void ToFloats_NarrowsEachValue()
    {
        var t = new Tensor(new[] { 0.1, -2.0, 1e300 }, 3);
        Assert.Equal(new[] { 0.1f, -2f, float.PositiveInfinity }, t.ToFloats());
    }

    [Fact]
    public void ToString_ShowsShapeAndValuesInInvariantCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            // A culture with a decimal comma and U+2212 minus, as fi-FI has (built by hand: the
            // repository runs in globalization-invariant mode). The output must not change.
            var finnishLike = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            finnishLike.NumberFormat.NumberDecimalSeparator = ",";
            finnishLike.NumberFormat.NegativeSign = "\u2212";
            CultureInfo.CurrentCulture = finnishLike;
            Assert.Equal("\u22120,3", (-0.3).ToString(CultureInfo.CurrentCulture));   // the culture bites
            Assert.Equal("Tensor[3] (0.1, 0.2, -0.3)", new Tensor(new[] { 0.1, 0.2, -0.3 }, 3).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.Equal("Tensor[] (1.5)", Tensor.Scalar(1.5).ToString());
        Assert.Equal("Tensor[2, 2] (1, 2, 3, 4)", new Tensor(new[] { 1.0, 2, 3, 4 }, 2, 2).ToString());
        Assert.Equal("Tensor[0] ()", Tensor.Zeros(0).ToString());
    }

    [Fact]
    public void ToString_SummarisesLongTensors()
    {
        string text = Tensor.Zeros(25).ToString();
        Assert.StartsWith("Tensor[25] (0, 0,", text);
        Assert.EndsWith(", 0, ... (5 more))", text);
    }
}
