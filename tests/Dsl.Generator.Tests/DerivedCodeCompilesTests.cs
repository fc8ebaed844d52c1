using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// Declarations a user may write that the generator once turned into C# that does not compile:
/// each source must give no DSL diagnostic and no C# error anywhere, generated files included (the
/// values are checked by the end-to-end tests in <c>Calculus/Drivers.cs</c>).
/// </summary>
public class DerivedCodeCompilesTests
{
    public static IEnumerable<object[]> Cases => new[]
    {
        // Parameters named like the locals the Jacobian, Hessian and Vmap drivers declare (CS0136, CS0841).
        new object[] { "HessianParameterNamedResult", """
            [Differentiable] public static double E(double[] result) => result[0] * result[0] * result[1];
            [Hessian(nameof(E))] public static partial double[,] EHessian(double[] result);
            """ },
        new object[] { "HessianParametersNamedLikeEveryColumnLocal", """
            [Differentiable] public static double G(double[] tangent, double column, double j, double i) => tangent[0] * tangent[1] * column * j * i;
            [Hessian(nameof(G))] public static partial double[,] GHessian(double[] tangent, double column, double j, double i);
            """ },
        new object[] { "JacRevParametersNamedLikeEveryRowLocal", """
            [Differentiable]
            public static double[] F(double[] value, double jacobian, double cotangent, double row, double i, double j)
            {
                var r = new double[2];
                r[0] = value[0] * value[1] * jacobian * cotangent * row * i * j;
                r[1] = value[0];
                return r;
            }
            [JacRev(nameof(F))] public static partial double[,] FJacRev(double[] value, double jacobian, double cotangent, double row, double i, double j);
            [Jacobian(nameof(F))] public static partial double[,] FJacobian(double[] value, double jacobian, double cotangent, double row, double i, double j);
            """ },
        new object[] { "JacFwdParameterNamedLikeALocal", """
            [Differentiable]
            public static double[] H(double[] tangent, double result)
            {
                var r = new double[1];
                r[0] = tangent[0] * tangent[1] * result;
                return r;
            }
            [JacFwd(nameof(H))] public static partial double[,] HJacFwd(double[] tangent, double result);
            """ },
        new object[] { "VmapParametersNamedLikeItsLocals", """
            [Differentiable] public static double K(double x, double[] i) => x * i[0];
            [Vmap(nameof(K))] public static partial double[] KBatch(double[] x, double[] i);
            [Differentiable] public static double L(double results, double w) => results * w;
            [Vmap(nameof(L))] public static partial double[] LBatch(double[] results, double w);
            [ValueAndGrad(nameof(L))] public static partial (double, double) LValueAndGrad(double results, double w);
            [Vmap(nameof(LValueAndGrad))] public static partial (double[], double[]) LValueAndGradBatch(double[] results0, double item1);
            """ },
        // ReadOnlySpan<double> parameters, which the drivers passed on to helpers typed double[] (CS1503).
        new object[] { "SpanParameters", """
            [Differentiable]
            public static double[] Sq(ReadOnlySpan<double> x)
            {
                var r = new double[x.Length];
                for (int i = 0; i < x.Length; i++) r[i] = x[i] * x[i];
                return r;
            }
            [Jacobian(nameof(Sq))] public static partial double[,] SqJac(ReadOnlySpan<double> x);
            [JacRev(nameof(Sq))] public static partial double[,] SqJacRev(ReadOnlySpan<double> x);
            [JacFwd(nameof(Sq))] public static partial double[,] SqJacFwd(ReadOnlySpan<double> x);
            [Jvp(nameof(Sq))] public static partial (double[], double[]) SqJvp(ReadOnlySpan<double> x, ReadOnlySpan<double> v);
            [Vjp(nameof(Sq))] public static partial (double[], double[]) SqVjp(ReadOnlySpan<double> x, ReadOnlySpan<double> u);

            [Differentiable]
            public static double Cubes(ReadOnlySpan<double> x, double s)
            {
                double t = 0;
                for (int i = 0; i < x.Length; i++) t += s * x[i] * x[i] * x[i];
                return t;
            }
            [Hessian(nameof(Cubes))] public static partial double[,] CubesHessian(ReadOnlySpan<double> x, double s);
            [ValueAndGrad(nameof(Cubes))] public static partial (double, double[]) CubesValueAndGrad(ReadOnlySpan<double> x, double s);
            [Vmap(nameof(Cubes))] public static partial double[] CubesOverS(ReadOnlySpan<double> x, double[] s);
            [Vmap(nameof(Cubes))] public static partial double[] CubesOverX(double[][] x, double s);
            """ },
        // Vmap of a Jacobian or Hessian: an array of matrices, once written new double[,][n] (CS1586).
        new object[] { "VmapOfMatrices", """
            [Differentiable]
            public static double[] Polar(double[] p)
            {
                var r = new double[2];
                r[0] = p[0] * Math.Cos(p[1]);
                r[1] = p[0] * Math.Sin(p[1]);
                return r;
            }
            [Jacobian(nameof(Polar))] public static partial double[,] PolarJacobian(double[] p);
            [Vmap(nameof(PolarJacobian))] public static partial double[][,] PolarJacobians(double[][] p);
            [Vmap(nameof(PolarJacobians))] public static partial double[][][,] PolarJacobianGrid(double[][][] p);

            [Differentiable] public static float Cube(float[] x) => x[0] * x[0] * x[1];
            [Hessian(nameof(Cube))] public static partial float[,] CubeHessian(float[] x);
            [Vmap(nameof(CubeHessian))] public static partial float[][,] CubeHessians(float[][] x);
            """ },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void GeneratedCodeCompiles(string name, string members)
    {
        string source = "using System;\nusing Dsl;\n\nnamespace Samples;\n\npublic static partial class " + name + "\n{\n" + members + "\n}\n";
        var (run, compilation) = GeneratorHarness.Run(source, name + ".cs");
        Assert.Empty(run.Diagnostics);
        var errors = compilation.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n\n"
            + string.Join("\n\n", run.Results.Single().GeneratedSources.Select(s => s.SourceText.ToString())));
    }
}
