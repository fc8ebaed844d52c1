using System;
using Xunit;

namespace Dsl.EndToEnd.Tests.Calculus;

/// <summary>
/// One test per convention of docs/transforms.md "Non-differentiable points": the value JAX's rule
/// gives there, in reverse mode and in forward mode. Exact equality: each is a constant, ±∞ or NaN.
/// </summary>
public class ConventionTests
{
    [Fact]
    public void Abs_has_derivative_one_at_zero_as_JAX()
    {
        Assert.Equal(1, Conventions.DAbs(0));
        Assert.Equal(1, Conventions.DAbs(-0.0));   // -0.0 >= 0
        Assert.Equal(-1, Conventions.DAbs(-2));
        Assert.Equal(1, Conventions.DAbs(3));
        Assert.Equal((0, 2.5), Conventions.AbsJvp(0, 2.5));
        Assert.Equal((2, -2.5), Conventions.AbsJvp(-2, 2.5));
        Assert.Equal(0.1, Conventions.DAbsTenth(0));
        Assert.Equal(-0.1, Conventions.DAbsTenth(-1));  // not the float -0.1f
    }

    [Fact]
    public void Max_and_Min_split_a_tie_half_and_half_as_JAX()
    {
        Assert.Equal((0.5, 0.5), Conventions.DMax(2, 2));
        Assert.Equal((1, 0), Conventions.DMax(3, 2));
        Assert.Equal((0, 1), Conventions.DMax(2, 3));
        Assert.Equal((2, 0.5), Conventions.MaxJvp(2, 2, 1, 0));
        Assert.Equal((2, 0.5), Conventions.MaxJvp(2, 2, 0, 1));
        Assert.Equal((-1, 0.5 * 4 + 0.5 * 6), Conventions.MinJvp(-1, -1, 4, 6));
        Assert.Equal((-1, 6), Conventions.MinJvp(3, -1, 4, 6));
        Assert.Equal(1, Conventions.DMaxSelf(1.5));
        Assert.Equal(0.5, Conventions.DRelu(0));
        Assert.Equal(1, Conventions.DRelu(0.1));
        Assert.Equal(0, Conventions.DRelu(-0.1));
    }

    [Fact]
    public void Sign_Floor_Ceiling_Round_have_derivative_zero_at_their_jumps_too()
    {
        foreach (double x in new[] { -1.5, -1, 0, 0.5, 1, 2.5 })
        {
            Assert.Equal(0, Conventions.DSteps(x));
            Assert.Equal(0, Conventions.StepsJvp(x, 1).Item2);
        }
    }

    [Fact]
    public void Sqrt_at_zero_is_infinite_as_JAX()
    {
        Assert.Equal(double.PositiveInfinity, Conventions.DSqrt(0));
        Assert.Equal(double.PositiveInfinity, Conventions.SqrtJvp(0, 1).Item2);
        Assert.True(double.IsNaN(Conventions.SqrtJvp(0, 0).Item2));  // 0 · ∞, as mul(g, div(0.5, ans)) in JAX
    }

    [Fact]
    public void Ternary_and_if_take_the_derivative_of_the_branch_selected()
    {
        foreach (double x in new[] { -1.0, 0 })
        {
            Assert.Equal(0, Conventions.DRootTernary(x));   // not 0 · NaN: the root is not taken
            Assert.Equal(0, Conventions.RootTernaryJvp(x, 1).Item2);
            Assert.Equal(0, Conventions.DRootIf(x));
        }
        Assert.Equal(0.25, Conventions.DRootTernary(4));
        Assert.Equal(0.25, Conventions.RootTernaryJvp(4, 1).Item2);
        Assert.Equal(0.25, Conventions.DRootIf(4));
        Assert.True(double.IsNaN(Conventions.DRootBefore(-1)));  // computed before the ternary: 0 · NaN, as in JAX
        Assert.Equal(9, Conventions.DKink(1));          // 1 < 1 is false: the second branch
        Assert.Equal(6 * 0.5, Conventions.DKink(0.5));
    }

    [Fact]
    public void Pow_at_a_zero_base_as_JAX()
    {
        // ∂/∂x = y x^(y−1) (_pow_jvp_lhs for a float y); ∂/∂y = ln(x == 0 ? 1 : x) x^y (_pow_jvp_rhs).
        Assert.Equal((0, 0), Conventions.DPow(0, 2));
        Assert.Equal((1, 0), Conventions.DPow(0, 1));
        Assert.Equal((double.PositiveInfinity, 0), Conventions.DPow(0, 0.5));
        var (dx0, dy0) = Conventions.DPow(0, 0);
        Assert.True(double.IsNaN(dx0));                 // 0 · 0^−1 = 0 · ∞
        Assert.Equal(0, dy0);
        var (dxNeg, dyNeg) = Conventions.DPow(0, -1);
        Assert.Equal(double.NegativeInfinity, dxNeg);
        Assert.True(double.IsNaN(dyNeg));               // ln(1) · 0^−1 = 0 · ∞
        Assert.Equal((0, 1 + 0), Conventions.PowJvp(0, 1, 1, 1));
        // An integer exponent: JAX's integer rule, 0 where the exponent is 0.
        Assert.Equal(0, Conventions.DPowZero(0));
        Assert.Equal(0, Conventions.DPowZero(2));
        Assert.Equal(0, Conventions.DPowInt(0, 0));
        Assert.Equal(1, Conventions.DPowInt(0, 1));
        Assert.Equal(12, Conventions.DPowInt(2, 3));
    }

    [Fact]
    public void Log_at_zero_is_infinite_as_JAX() => Assert.Equal(double.PositiveInfinity, Conventions.DLog(0));

    [Fact]
    public void Atan2_at_the_origin_is_NaN_as_JAX()
    {
        var (dy, dx) = Conventions.DAtan2(0, 0);
        Assert.True(double.IsNaN(dy) && double.IsNaN(dx));
        Assert.Equal((0.5, -0.5), Conventions.DAtan2(1, 1));
    }
}
