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

    /// <summary>Functions of the user trial whose derivatives once read <c>- 9 + -9</c>, <c>+ -(2 * (100 * b)) * c</c> and <c>2 * -v</c>.</summary>
    private static readonly IReadOnlyDictionary<string, string> s_trial = Generate("""
        [Differentiable] public static double Quint(double x) => 2 * Math.Pow(x, 5) - 3 * x * x * x + 7 * x;
        [Grad(nameof(Quint))] public static partial double DQuint(double x);
        [Grad(nameof(DQuint))] public static partial double D2Quint(double x);
        [Grad(nameof(D2Quint))] public static partial double D3Quint(double x);

        [Differentiable]
        public static double Rosen3(double[] p) =>
            100 * Math.Pow(p[1] - p[0] * p[0], 2) + (1 - p[0]) * (1 - p[0])
            + 100 * (p[2] - p[1] * p[1]) * (p[2] - p[1] * p[1]) + Math.Pow(1 - p[1], 2);
        [Grad(nameof(Rosen3))] public static partial double[] Rosen3Grad(double[] p);
        [Hessian(nameof(Rosen3))] public static partial double[,] Rosen3Hessian(double[] p);

        [Differentiable]
        public static double Bump(double[] p, double sigma) => Math.Exp(-(p[0] * p[0] + p[1] * p[1]) / (2 * sigma * sigma)) + p[0] * p[1];
        [Grad(nameof(Bump))] public static partial double[] BumpGrad(double[] p, double sigma);
        """);

    private static IReadOnlyDictionary<string, string> Generate(string members)
    {
        string source = "using System;\nusing Dsl;\n\nnamespace Samples;\n\npublic static partial class Trial\n{\n" + members + "\n}\n";
        var (run, compilation) = GeneratorHarness.Run(source, "Trial.cs");
        Assert.Empty(run.Diagnostics);
        Assert.Empty(compilation.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        return run.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
    }

    [Fact]
    public void Constants_in_a_sum_are_folded()
    {
        string third = s_trial["Samples.Trial.D3Quint.g.cs"];
        Assert.Contains("= 120 * x * x - 18;", third);
        Assert.Contains("= 7 - 9 * x * x + 10 * global::System.Math.Pow(x, 4);", s_trial["Samples.Trial.DQuint.g.cs"]);
        Assert.Contains("for (int i = p.Length - 2; i >= 0; i--)", Body("RosenbrockSumGrad"));
    }

    /// <summary>No operator is followed by a negation: a + −b is a − b, a − −b is a + b, a · −b is −a · b, within a sum.</summary>
    [Fact]
    public void No_operator_is_followed_by_a_negation()
    {
        foreach (var (file, text) in s_generated.Concat(s_trial))
        {
            var matches = Regex.Matches(text, @"[-+*/] -[\w(]").Select(m => m.Value).ToList();
            Assert.True(matches.Count == 0, file + ": " + string.Join(", ", matches) + "\n" + text);
        }
    }

    [Fact]
    public void Like_terms_and_constant_factors_are_combined()
    {
        string hessian = s_trial["Samples.Trial.Rosen3Hessian.g.cs"];
        Assert.Contains("p_dot[2] - 2 * p_dot[1] * p[1]", hessian);
        Assert.DoesNotContain("2 * (100 *", hessian);
    }

    /// <summary>A Math call, or an expression of two operations or more, that a run of statements repeats is computed once.</summary>
    [Fact]
    public void A_repeated_expression_is_computed_once()
    {
        Assert.Equal(1, Count(Body("SoftplusGrad"), @"Math\.Exp\("));
        Assert.Equal(1, Count(Body("PolarTangent"), @"Math\.Sin\("));
        Assert.Equal(1, Count(Body("PolarTangent"), @"Math\.Cos\("));
        Assert.Equal(1, Count(s_trial["Samples.Trial.BumpGrad.g.cs"], @"Math\.Exp\("));
        Assert.Equal(1, Count(Body("RosenbrockHessian"), @"p_dot\[1\] - 2 \* p_dot\[0\] \* p\[0\]"));
    }

    /// <summary>An expression is not shared across a write of what it reads: e^x before and after x changes are two values.</summary>
    [Fact]
    public void An_expression_is_not_shared_across_a_write_of_what_it_reads()
    {
        var files = Generate("""
            [Differentiable]
            public static double Twice(double x)
            {
                double y = Math.Exp(x);
                x = x + 1;
                return y + Math.Exp(x);
            }
            [Jvp(nameof(Twice))] public static partial (double, double) TwiceJvp(double x, double dx);
            """);
        // One statement run: e^x for y and its tangent, then x += 1, then e^x of the new x for the result and its tangent.
        string jvp = files["Samples.Trial.TwiceJvp.g.cs"];
        Assert.Equal(2, Count(jvp, @"Math\.Exp\("));
        Assert.True(jvp.IndexOf("x += 1;") > jvp.IndexOf("Math.Exp(") && jvp.IndexOf("x += 1;") < jvp.LastIndexOf("Math.Exp("), jvp);
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
