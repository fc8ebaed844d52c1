using System;
using System.Globalization;
using Xunit;
using Xunit.Sdk;

namespace Dsl.Attributes.Tests;

/// <summary>Floating-point assertions with a relative tolerance and a readable failure message.</summary>
internal static class Approx
{
    /// <summary>Asserts |actual - expected| ≤ max(relative·|expected|, absolute).</summary>
    public static void Equal(double expected, double actual, double relative = 1e-15, double absolute = 0.0)
    {
        double error = Math.Abs(actual - expected);
        double allowed = Math.Max(relative * Math.Abs(expected), absolute);
        if (!(error <= allowed) && !(double.IsNaN(expected) && double.IsNaN(actual)) && expected != actual)
        {
            throw new XunitException(string.Format(
                CultureInfo.InvariantCulture,
                "Expected {0:R} but got {1:R} (error {2:E3}, allowed {3:E3}).",
                expected, actual, error, allowed));
        }
    }

    /// <summary>Asserts a tensor's shape and each value.</summary>
    public static void Tensor(Dsl.Tensor actual, int[] shape, double[] values, double relative = 1e-15, double absolute = 0.0)
    {
        Assert.Equal(shape, actual.Shape);
        Assert.Equal(values.Length, actual.Length);
        for (int i = 0; i < values.Length; i++)
        {
            Equal(values[i], actual[i], relative, absolute);
        }
    }

    /// <summary>Asserts a scalar tensor (shape []) and its value.</summary>
    public static void Scalar(double expected, Dsl.Tensor actual, double relative = 1e-15, double absolute = 0.0)
    {
        Assert.Equal(0, actual.Rank);
        Equal(expected, actual.Item(), relative, absolute);
    }
}
