using System;
using Xunit;

namespace Dsl.Attributes.Tests;

public class LabelTests
{
    [Fact]
    public void Constructor_StoresTheIndex()
    {
        Assert.Equal(3, new Label(3).Index);
        Assert.Equal(0, new Label(0).Index);
        Assert.Equal(0, default(Label).Index);
    }

    [Fact]
    public void NegativeIndex_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Label(-1));
        Assert.Equal("index", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => { Label label = -2; });
    }

    [Fact]
    public void IntConvertsImplicitly()
    {
        Label label = 7;
        Assert.Equal(7, label.Index);
    }

    [Fact]
    public void Equality_IsByIndex()
    {
        Label a = 2, b = new(2), c = 3;
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a != c);
        Assert.True(a.Equals(b));
        Assert.True(a.Equals((object)b));
        Assert.False(a.Equals((object)2));
        Assert.False(a.Equals(c));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void ToString_NamesTheIndex()
    {
        Assert.Equal("Label(4)", new Label(4).ToString());
    }
}
