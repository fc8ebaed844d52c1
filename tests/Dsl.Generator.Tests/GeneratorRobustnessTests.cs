using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Specs;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// Malformed and half-typed input, as an IDE feeds the generator on every keystroke. Whatever the
/// input, the generator must not throw (no exception in the run result, no CS8785 "generator
/// failed" or AD0001), must report only DSL or C# diagnostics and never DSL9999 (an internal
/// error is a generator bug), and must not write a file that itself fails to compile.
/// </summary>
public class GeneratorRobustnessTests
{
    private const string Usings = MarkedSource.Usings;

    /// <summary>Input that is broken as C#, or that the DSL rejects; the name says how.</summary>
    private static readonly Dictionary<string, string> s_malformed = new()
    {
        ["MissingClosingBraces"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    var h = Output(x);
                    return h;
            """,
        ["SyntaxErrorsEverywhere"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x)
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x
            """,
        ["HalfTypedAttributesAndExpression"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense(] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10, )] Tensor x) => Output(x) +;
            }
            """,
        ["HalfTypedClassHeader"] = Usings + """
            [Model]
            public partial class
            """,
        ["AttributeWithNothingAfterIt"] = Usings + "[Model]\n",
        ["NonConstantAttributeArguments"] = Usings + """
            public static class Sizes
            {
                public static int Width = 4;
            }

            [Model]
            public partial class Classifier
            {
                [Dense(Sizes.Width)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(Sizes.Width)] Tensor x) => Output(x);
            }
            """,
        ["DenseWithoutArguments"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape] Tensor x) => Output(x);
            }
            """,
        ["EmptyClass"] = Usings + """
            [Model]
            public partial class Empty
            {
            }
            """,
        ["StaticClass"] = Usings + """
            [Model]
            public static partial class Classifier
            {
                [Forward]
                public static Tensor Forward([Shape(10)] Tensor x) => Relu(x);
            }
            """,
        ["StaticClassWithStaticLayer"] = Usings + """
            [Model]
            public static partial class Classifier
            {
                [Dense(2)] private static partial Tensor Output(Tensor x);

                [Forward]
                public static Tensor Forward([Shape(10)] Tensor x) => Output(x);
            }
            """,
        ["RefParameters"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] ref Tensor x) => Helper(ref x);

                private Tensor Helper(ref Tensor x) => x;
            }
            """,
        ["OutParameterOnHelper"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    Split(x, out var y);
                    return y;
                }

                private void Split(Tensor x, out Tensor y) => y = x;
            }
            """,
        ["LocalFunction"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    Tensor Twice(Tensor a) => a + a;
                    return Twice(x);
                }
            }
            """,
        ["Lambda"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    System.Func<Tensor, Tensor> f = a => Relu(a);
                    return f(x);
                }
            }
            """,
        ["Loops"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    for (int i = 0; i < 3; i++) x = Relu(x);
                    foreach (var c in new[] { 1.0, 2.0 }) x = x * c;
                    while (false) { }
                    return x;
                }
            }
            """,
        ["AbstractForward"] = Usings + """
            [Model]
            public abstract partial class Classifier
            {
                [Forward]
                public abstract Tensor Forward([Shape(10)] Tensor x);
            }
            """,
        ["ForwardReturningVoid"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Forward]
                public void Forward([Shape(10)] Tensor x) { }
            }
            """,
        ["ForwardWithoutTensorInput"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward(Label y) => null!;
            }
            """,
        ["DuplicateAttributes"] = Usings + """
            [Model, Model]
            public partial class Classifier
            {
                [Forward, Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Relu(x);
            }
            """,
        ["UnknownOpsAndTypos"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Reluu(x) + Softmax(x, 3) + y;
            }
            """,
        ["MetricNameNotConstant"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y)
                {
                    var loss = CrossEntropy(Forward(x), y);
                    Log(x.ToString(), loss);
                    return loss;
                }

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """,
        ["OptimizerOfUnknownType"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Relu(x);

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

                [Optimizer]
                private static Optimiser Optimizer() => new Adamm(1e-3f);
            }
            """,
        ["EverythingWrongAtOnce"] = Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense(-3)] private partial Tensor A(Tensor x, Tensor y);
                [Dense(2)] private partial Tensor B(Tensor x);

                [Forward]
                public Tensor Forward([Shape(0)] Tensor x)
                {
                    if (true) { }
                    return B(A(x, x)) + Ping(x);
                }

                [Forward]
                public Tensor Forward2(Tensor x) => x;

                private Tensor Ping(Tensor x) => Ping(x);

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y) => Forward(x);
            }
            """,
        ["HalfTypedCustomRules"] = "using System;\n" + Usings + """
            public static partial class Calculus
            {
                [Differentiable] public static double F(double x) => x * x;
                [CustomVjp(] public static double FVjp(double x, double result, double c) => c;
                [CustomJvp(nameof(F)] public static double FJvp(double x, double result, double dx) =>
                [Grad(nameof(F))] public static partial double DF(double x);
            }
            """,
        ["CustomRulesNamingNothing"] = "using System;\n" + Usings + """
            public static partial class Calculus
            {
                [Differentiable] public static double F(double x) => x * x;
                [CustomVjp(null!)] public static double FVjp(double x, double result, double c) => c;
                [CustomJvp("")] public static double FJvp(double x, double result, double dx) => dx;
                [CustomVjp(nameof(Calculus))] public static double G(double x, double result, double c) => c;
                [Grad(nameof(F))] public static partial double DF(double x);
            }
            """,
        ["CustomRulesOfTheWrongShape"] = "using System;\n" + Usings + """
            public static partial class Calculus
            {
                [Differentiable] public static double F(double x, int n) => Math.Pow(x, n);
                [CustomVjp(nameof(F))] public double FVjp(double x, int n, double result, double c) => c;
                [CustomJvp(nameof(F))] public static T FJvp<T>(double x, int n, double result, T dx) => dx;
                [Differentiable] public static double Loop(double x) => F(x, 2) + F(F(x, 3), 2);
                [Grad(nameof(Loop))] public static partial double DLoop(double x);
                [Jvp(nameof(Loop))] public static partial (double, double) LoopTangent(double x, double dx);
            }
            """,
        ["CustomRuleCallingItsFunction"] = "using System;\n" + Usings + """
            public static partial class Calculus
            {
                [Differentiable] public static double F(double x) => Math.Exp(x);
                [CustomVjp(nameof(F))] public static double FVjp(double x, double result, double c) => c * F(x);
                [Grad(nameof(F))] public static partial double DF(double x);
            }
            """,
        ["HasAuxOfTheWrongShape"] = "using System;\n" + Usings + """
            public static partial class Calculus
            {
                [Differentiable] public static (double, double, double) Three(double x) => (x, x, x);
                [Differentiable] public static (double[], double) ArrayFirst(double[] x) => (x, 1);
                [Grad(nameof(Three), HasAux = true)] public static partial (double, double, double) DThree(double x);
                [ValueAndGrad(nameof(ArrayFirst), HasAux = true)] public static partial double DArrayFirst(double[] x);
                [Grad(nameof(Three))] public static partial double DThreeNoAux(double x);
            }
            """,
        ["TuplesTheTransformsCannotTake"] = "using System;\n" + Usings + """
            public static partial class Calculus
            {
                [Differentiable] public static double F((double X, string Unit) p) => p.X;
                [Differentiable] public static double G((double X, int N) p) => p.X * p.N;
                [Differentiable] public static double H(double x) { var t = (x, x); t.Item1 = 2; (t.Item1, _) = (x, 1); return t.Item2; }
                [Grad(nameof(F))] public static partial double DF((double X, string Unit) p);
                [Grad(nameof(G), WithRespectTo = "p")] public static partial (double, int) DG((double X, int N) p);
                [Grad(nameof(H))] public static partial double DH(double x);
            }
            """,
        ["HalfTypedModule"] = Usings + """
            [Module]
            public partial class Block
            {
                [Dense(4)] private partial Tensor Up(Tensor x);
                private partial Block
            """,
        ["ModulesWrongEveryWay"] = Usings + """
            [Module] public class NotPartial { [Forward] public Tensor Forward(Tensor x) => x; }
            [Module] public partial class Generic<T> { [Forward] public Tensor Forward(Tensor x) => x; }
            [Module] public partial struct Value { }
            [Module]
            public partial class A
            {
                [Dense(4)] private partial Tensor Up(Tensor x);
                [Dense(0)] private partial Tensor Broken(Tensor x);
                private partial B Other { get; }
                [Forward] public Tensor Forward(Tensor x) => Other.Forward(Up(x));
            }
            [Module]
            public partial class B
            {
                private partial A Back { get; }
                [Repeat(2)] private partial A Single { get; }
                private partial A[] Unrepeated { get; set; }
                private static partial A Shared { get; }
                [Forward] public Tensor Forward(Tensor x) { foreach (var a in Unrepeated) { return a.Forward(x); } return Back.Forward(x); }
            }
            [Model]
            public partial class Classifier
            {
                [Repeat(3)] private partial A[] Blocks { get; }
                private partial NotPartial Loose { get; }
                private partial Generic<int> Typed { get; }
                private partial Missing Unknown { get; }

                [Forward]
                public Tensor Forward([Shape(4)] Tensor x)
                {
                    foreach (var block in Blocks) { x = block.Forward(x); return x; }
                    var all = Blocks;
                    x = Blocks[x.Length].Forward(x);
                    return Loose.Forward(Typed.Forward(Unknown.Forward(x)));
                }
            }
            """,
    };

    public static IEnumerable<object[]> MalformedInputs() => s_malformed.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void MalformedInput_NeverThrowsAndReportsOnlyDslOrCSharpDiagnostics(string name)
    {
        var (run, csharp) = GeneratorHarness.Run(s_malformed[name]);

        AssertNeverThrew(run);
        foreach (Diagnostic d in run.Diagnostics)
            Assert.True(d.Id.StartsWith("DSL", StringComparison.Ordinal) && d.Id != "DSL9999", $"{name}: unexpected generator diagnostic {d}");
        foreach (Diagnostic d in csharp)
            Assert.True(d.Id.StartsWith("CS", StringComparison.Ordinal), $"{name}: unexpected diagnostic {d}");
    }

    /// <summary>The fallback file written for a broken model must itself compile: every C# error stays in the user's file.</summary>
    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void MalformedInput_GeneratedFilesAddNoErrors(string name)
    {
        var (run, csharp) = GeneratorHarness.Run(s_malformed[name]);

        var generated = run.GeneratedTrees.Select(t => t.FilePath).ToHashSet();
        var inGenerated = csharp.Where(d => d.Severity == DiagnosticSeverity.Error && generated.Contains(d.Location.GetLineSpan().Path)).ToList();
        Assert.True(inGenerated.Count == 0, $"{name}: the generated files do not compile:\n" + DiagnosticsTests.Describe(inGenerated));
        Assert.DoesNotContain(csharp, d => d.Id == "CS0759");
    }

    // ---- Inputs that currently crash inside the generator (DSL9999) or out of it (CS8785) ----

    /// <summary><c>[Shape(null)]</c> is legal C# for a <c>params int[]</c>; the parser must report it, not crash on the null array.</summary>
    [Fact]
    public void ShapeWithNullArray_IsADiagnosticNotAnInternalError()
    {
        var (run, csharp) = GeneratorHarness.Run(Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(null!)] Tensor x) => Output(x);
            }
            """);

        AssertNeverThrew(run);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "DSL9999");
        Assert.Contains(run.Diagnostics, d => d.Id == "DSL0006");
        DiagnosticsTests.AssertNoPartialMethodCascade(csharp);
    }

    /// <summary>A model method with an optional parameter, called without it.</summary>
    [Fact]
    public void HelperWithOptionalParameter_IsADiagnosticNotAnInternalError()
    {
        var (run, _) = GeneratorHarness.Run(Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(Scale(x));

                private Tensor Scale(Tensor a, Tensor? b = null) => a;
            }
            """);

        AssertNeverThrew(run);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "DSL9999");
    }

    /// <summary>Two overloads of one model method, the two-parameter one called first.</summary>
    [Fact]
    public void OverloadedHelpers_AreNotAnInternalError()
    {
        var (run, _) = GeneratorHarness.Run(Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(Mix(x, x) + Mix(x));

                private Tensor Mix(Tensor a) => a;
                private Tensor Mix(Tensor a, Tensor b) => a * b;
            }
            """);

        AssertNeverThrew(run);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "DSL9999");
    }

    /// <summary>
    /// Two overloads of one model method, the one-parameter one called first: each call must
    /// inline its own overload (or the generator must reject overloads). Today the second call
    /// silently inlines the first overload, so <c>Mix(x, x)</c> compiles to <c>x</c>, not <c>x * x</c>.
    /// </summary>
    [Fact]
    public void OverloadedHelpers_EachCallInlinesItsOwnOverload()
    {
        string source = Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(Mix(x) + Mix(x, x));

                private Tensor Mix(Tensor a) => a;
                private Tensor Mix(Tensor a, Tensor b) => a * b;
            }
            """;
        var (run, _) = GeneratorHarness.Run(source);
        AssertNeverThrew(run);
        if (run.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            return; // Rejecting overloads with a diagnostic is a fine answer too.

        var parse = (ParseResult)run.Results[0].TrackedSteps[DslGenerator.Steps.Parse].Single().Outputs.Single().Value;
        var diagnostics = new List<Dsl.Generator.Diagnostics.DiagnosticInfo>();
        LoweredModel? lowered = ModelLowering.Lower(parse.Model!, diagnostics);

        Assert.NotNull(lowered);
        Assert.Contains(lowered!.Forward.Graph.Nodes, n => n.Op == OpKind.Multiply);
    }

    /// <summary>Hint names are <c>{Model}.{Backend}.g.cs</c>: two models of one name in two namespaces must not collide.</summary>
    [Fact]
    public void TwoModelsWithOneNameInTwoNamespaces_DoNotCollide()
    {
        var (run, _) = GeneratorHarness.Run("""
            using Dsl;
            using static Dsl.Ops;

            namespace A
            {
                [Model]
                public partial class Classifier
                {
                    [Forward]
                    public Tensor Forward([Shape(10)] Tensor x) => Relu(x);
                }
            }

            namespace B
            {
                [Model]
                public partial class Classifier
                {
                    [Forward]
                    public Tensor Forward([Shape(10)] Tensor x) => Tanh(x);
                }
            }
            """);

        AssertNeverThrew(run);
        Assert.Equal(run.GeneratedTrees.Length, run.GeneratedTrees.Select(t => t.FilePath).Distinct().Count());
        Assert.Equal(8, run.GeneratedTrees.Length); // Model, Cpu, OpenCl and Onnx for each
    }

    /// <summary>[Model] on both parts of one partial class (C# reports CS0579): the generator must still not throw.</summary>
    [Fact]
    public void ModelAttributeOnTwoPartsOfOneClass_DoesNotThrow()
    {
        var (run, csharp) = GeneratorHarness.Run(Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);
            }

            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);
            }
            """);

        AssertNeverThrew(run);
        Assert.Contains(csharp, d => d.Id == "CS0579");
    }

    // ---- Inputs the generator accepts but miscompiles into C# errors ----

    /// <summary>A generic model class: reject it with a DSL diagnostic, or generate a matching generic partial; never a non-generic one.</summary>
    [Fact]
    public void GenericModelClass_IsRejectedOrGeneratedAsGeneric()
    {
        var (run, csharp) = GeneratorHarness.Run(Usings + """
            [Model]
            public partial class Classifier<T>
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);
            }
            """);

        AssertNeverThrew(run);
        DiagnosticsTests.AssertNoPartialMethodCascade(csharp);
    }

    /// <summary>A layer taking its input by <c>ref</c> is not 'partial Tensor Output(Tensor x)': DSL0003, and no mismatched body.</summary>
    [Fact]
    public void LayerWithRefParameter_IsReportedAsDSL0003()
    {
        var (run, csharp) = GeneratorHarness.Run(Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(ref Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Relu(x);
            }
            """);

        AssertNeverThrew(run);
        Assert.Contains(run.Diagnostics, d => d.Id == "DSL0003");
        DiagnosticsTests.AssertNoPartialMethodCascade(csharp);
    }

    /// <summary>[Model] is allowed on a record class by its AttributeUsage; the generator must not ignore it silently.</summary>
    [Fact]
    public void RecordModel_IsNotSilentlyIgnored()
    {
        var (run, _) = GeneratorHarness.Run(Usings + """
            [Model]
            public partial record Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Relu(x);
            }
            """);

        AssertNeverThrew(run);
        Assert.True(run.Diagnostics.Any(d => d.Id.StartsWith("DSL", StringComparison.Ordinal)) || run.GeneratedTrees.Length > 0,
            "A [Model] record got neither a diagnostic nor generated code.");
    }

    // ---- Helpers ----

    private static void AssertNeverThrew(GeneratorDriverRunResult run)
    {
        Assert.Null(run.Results[0].Exception);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id is "CS8785" or "AD0001");
    }

}
