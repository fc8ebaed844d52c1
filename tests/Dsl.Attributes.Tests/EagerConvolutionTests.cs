using System;
using System.Linq;
using Xunit;

namespace Dsl.Attributes.Tests;

/// <summary>The eager convolution and pooling layers' groups, per-axis windows and adaptive pooling (issue 19, conv branch).</summary>
public class EagerConvolutionTests
{
    private static Tensor Ramp(params int[] shape)
    {
        int size = shape.Aggregate(1, (a, b) => a * b);
        return Tensor.Create(shape, Enumerable.Range(0, size).Select(i => Math.Sin(i * 0.7) + 0.1 * i).ToArray());
    }

    private static Tensor Channels(Tensor x, int first, int count)
    {
        int plane = x.Length / x.ShapeArray[0];
        int[] shape = x.ShapeArray.ToArray();
        shape[0] = count;
        return Tensor.Create(shape, Enumerable.Range(first * plane, count * plane).Select(i => x[i]).ToArray());
    }

    [Fact]
    public void Conv2d_InTwoGroupsIsEachHalfConvolvedAlone()
    {
        Tensor x = Ramp(4, 5, 6), weight = Ramp(6, 2, 3, 2), bias = Ramp(6);
        Tensor grouped = EagerLayers.Conv2d(x, weight, bias, 2, 1, 1, 0, 1, 2, groups: 2);
        for (int g = 0; g < 2; g++)
        {
            Tensor alone = EagerLayers.Conv2d(Channels(x, 2 * g, 2), Channels(weight, 3 * g, 3), Channels(bias, 3 * g, 3), 2, 1, 1, 0, 1, 2, 1);
            Tensor part = Channels(grouped, 3 * g, 3);
            Assert.Equal(alone.ShapeArray, part.ShapeArray);
            for (int i = 0; i < alone.Length; i++)
                Assert.Equal(alone[i], part[i], 12);
        }
    }

    [Fact]
    public void Conv2d_GroupsThatDoNotDivideTheChannelsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => EagerLayers.Conv2d(Ramp(3, 4, 4), Ramp(4, 1, 3, 3), null, groups: 2));
        Assert.Contains("groups 2 must divide the input channels 3", e.Message);
    }

    [Fact]
    public void AdaptiveAvgPool2d_UsesPyTorchsUnevenWindows()
    {
        // H = 5 into 3: rows [0, 2), [1, 4), [3, 5), as torch.nn.AdaptiveAvgPool2d((3, 1)).
        Tensor x = Tensor.Create([1, 5, 1], [0, 1, 2, 3, 4]);
        Tensor y = EagerLayers.AdaptiveAvgPool2d(x, 3, 1);
        Assert.Equal(new[] { 1, 3, 1 }, y.ShapeArray);
        Assert.Equal(0.5, y[0], 12);
        Assert.Equal(2.0, y[1], 12);
        Assert.Equal(3.5, y[2], 12);
    }

    [Fact]
    public void MaxPool2d_NonSquareWindowsAndStrides()
    {
        // [1, 2, 4] in windows of 2x3 stepping 1 along the columns: two windows.
        Tensor x = Tensor.Create([1, 2, 4], [1, 7, 2, 0, 3, 4, 9, 5]);
        Tensor y = EagerLayers.MaxPool2d(x, 2, 3, 1, 1, 0, 0);
        Assert.Equal(new[] { 1, 1, 2 }, y.ShapeArray);
        Assert.Equal(9, y[0]);
        Assert.Equal(9, y[1]);
    }
}
