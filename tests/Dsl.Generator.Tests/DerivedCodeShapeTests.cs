using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// What the generated derivatives of <c>tests/Dsl.EndToEnd.Tests/Functions/Derivatives.cs</c> must
/// not contain, stated as rules rather than as whole snapshots: work nobody reads (a forward loop
/// that only recomputes locals, tapes whose values are never used, a gradient a driver discards),
/// sums a person would have folded, and the same call written twice.
/// </summary>
public class DerivedCodeShapeTests
{
    private static readonly IReadOnlyDictionary<string, string> s_generated = SnapshotTests.Generate("tests/Dsl.EndToEnd.Tests/Functions/Derivatives.cs");

    private static string Body(string method) => s_generated.Single(f => f.Key.EndsWith("." + method + ".g.cs")).Value;

    private static int Count(string text, string pattern) => Regex.Matches(text, pattern).Count;

    /// <summary>The reverse loop recomputes a and b itself: a forward loop that only recomputes them is dead.</summary>
    [Fact]
    public void A_gradient_whose_reverse_loop_recomputes_the_locals_has_no_forward_loop() =>
        Assert.Equal(1, Count(Body("RosenbrockSumGrad"), @"\bfor \("));

    /// <summary>Forward over reverse pushes the running sum s and its tangent, but the reverse loop never reads them.</summary>
    [Fact]
    public void A_Hessian_vector_product_keeps_no_tape_nothing_reads() =>
        Assert.DoesNotContain("Stack<", Body("QuarticHvp"));

    /// <summary>A Hessian's helper returns the column, the tangent of the gradient, and not the gradient the driver would discard.</summary>
    [Fact]
    public void A_Hessian_helper_does_not_compute_the_gradient()
    {
        string hessian = Body("RosenbrockHessian");
        Assert.DoesNotContain("p_bar[", hessian);
        Assert.Contains("var column = RosenbrockHessian_Jvp(p, tangent);", hessian);
    }

    /// <summary>A Jacobian's row helper returns the row, not also the value the driver computed before the loop.</summary>
    [Fact]
    public void A_Jacobian_row_helper_returns_the_row_alone()
    {
        string jacobian = Body("PolarJacRev");
        Assert.Contains("private static double[] PolarJacRev_Vjp(", jacobian);
        Assert.Contains("var row = PolarJacRev_Vjp(p, cotangent);", jacobian);
    }

    /// <summary>A tape the reverse sweep does read stays, pushes and pops paired.</summary>
    [Fact]
    public void A_tape_that_is_read_stays()
    {
        string product = Body("ProductGrad");
        Assert.Equal(1, Count(product, @"\.Push\("));
        Assert.Equal(1, Count(product, @"\.Pop\(\)"));
    }
}
