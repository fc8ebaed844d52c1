using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Emit;
using Dsl.Generator.Pipeline;
using Dsl.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// One test per diagnostic of <see cref="DiagnosticDescriptors"/>, named <c>{ID}_{Descriptor}</c>:
/// each writes a small model with one mistake, as a user would, and checks that exactly that ID is
/// reported, at the construct marked <c>/*here*/</c>, with a message naming the offending thing, and
/// that the build's error list holds nothing else (no generator crash, no "partial method must have
/// an implementation" cascade: the generator writes fallback layer bodies for a model with errors).
/// Tests named <c>{ID}_{Descriptor}_{Case}</c> are further triggers of the same ID.
/// </summary>
public partial class DiagnosticsTests
{
    private const string FilePath = "Model.cs";

    // ---- Parse: the model's structure (00xx) ----

    [Fact]
    public void DSL0001_ModelNotPartial()
    {
        var source = MarkedSource.Model("""
            [Model]
            public class /*here*/Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Relu(x);
            }
            """);

        Diagnostic d = AssertSingleDiagnostic(source, "DSL0001", "'Classifier'", "partial");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
    }

    [Fact]
    public void DSL0002_MissingForward()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class /*here*/Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                public Tensor Predict([Shape(10)] Tensor x) => Output(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0002", "'Classifier'", "[Forward]");
    }

    [Fact]
    public void DSL0003_BadLayerSignature()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor /*here*/Output(Tensor x);
                private partial Tensor Output(Tensor x) => x;

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0003", "'Output'", "must not have a body");
    }

    /// <summary>A layer declared with two inputs: the generator cannot write its body, but must still write a fallback so C# adds no error of its own.</summary>
    [Fact]
    public void DSL0003_BadLayerSignature_TwoInputs()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor /*here*/Output(Tensor x, Tensor y);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Relu(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0003", "'Output'", "exactly one Tensor");
    }

    [Fact]
    public void DSL0004_UnsupportedCall()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x) * /*here*/System.Math.Max(x.Item(), 2.0);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0004", "'Math.Max'", "Math or MathF functions of compile-time constants");
    }

    [Fact]
    public void DSL0004_UnsupportedCall_MethodOfAnotherClass()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(/*here*/Helpers.Twice(x));
            }

            public static class Helpers
            {
                public static Tensor Twice(Tensor x) => x + x;
            }
            """);

        AssertSingleDiagnostic(source, "DSL0004", "'Helpers.Twice'");
    }

    /// <summary>
    /// A call C# itself could not bind (here because an argument is an error) already has a C#
    /// error; the generator must not add a DSL0004 claiming the user's own layer is not allowed.
    /// </summary>
    [Fact]
    public void DSL0004_UnsupportedCall_NotReportedForACallCSharpCouldNotBind()
    {
        string source = MarkedSource.Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    var y = h;       // CS0841: used before it is declared
                    var h = x;
                    return Output(y);
                }
            }
            """;

        var (run, csharp) = GeneratorHarness.Run(source, FilePath);

        AssertGeneratorDidNotThrow(run);
        Assert.Contains(csharp, d => d.Id == "CS0841");
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "DSL0004");
    }

    [Fact]
    public void DSL0005_UnsupportedSyntax()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                private const int Depth = 2;

                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    int i = 0;
                    /*here*/while (i < Depth) { x = Relu(x); i++; }
                    return Output(x);
                }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0005", "'while' statement", "'for' loop with constant bounds");
    }

    [Fact]
    public void DSL0005_UnsupportedSyntax_Switch()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                private const int Kind = 1;

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    /*here*/switch (Kind) { case 1: x = Relu(x); break; default: x = Tanh(x); break; }
                    return x;
                }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0005", "'switch' statement", "if/else on compile-time constants", "Where(condition, a, b)");
    }

    [Fact]
    public void DSL0005_UnsupportedSyntax_PowOfZero()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => /*here*/Pow(x, 0);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0005", "Pow(x, 0)", "write the constant 1");
    }

    [Fact]
    public void DSL0005_UnsupportedSyntax_ClampWithMinAboveMax()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => /*here*/Clamp(x, 1, 0);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0005", "Clamp(x, 1, 0) with min above max", "min <= max");
    }

    [Fact]
    public void DSL0101_ShapeMismatch_MaximumOfShapesThatDoNotBroadcast()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x, [Shape(4)] Tensor y) => /*here*/Maximum(x, y);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0101", "Maximum", "[10]", "[4]");
    }

    /// <summary>
    /// Issue 22's TokensForLabel case: per-example logits against Tokens targets. The logits lack
    /// the position axis; the message says so at the logits, once, instead of blaming the Tokens'
    /// rank and then the argument's kind.
    /// </summary>
    [Fact]
    public void DSL0102_BadRank_PerExampleLogitsAgainstTokens()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Tagger
            {
                [Dense(5)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(8)] Tensor x) => Output(x);

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Tokens y) => CrossEntropy(/*here*/Forward(x), y);

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0102", "CrossEntropy(logits, Tokens 'y')", "logits [T, classes]", "no position axis", "declare 'y' a Label", "[5]");
    }

    [Fact]
    public void DSL0017_NotConstantControlFlow()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    if (/*here*/Sum(x).Item() > 0) x = Relu(x);
                    return x;
                }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0017", "The condition of this 'if' ('Sum(x).Item() > 0')", "depends on the tensor 'x'", "Where(condition, a, b)", "mask");
    }

    [Fact]
    public void DSL0017_NotConstantControlFlow_ConditionalExpression()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => /*here*/x.Item() > 0 ? Relu(x) : Tanh(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0017", "this '?:' ('x.Item() > 0')", "tensor 'x'", "Where(condition, a, b)");
    }

    [Fact]
    public void DSL0017_NotConstantControlFlow_LoopBound()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    for (int i = 0; /*here*/i < x.Length; i++)
                        x = Relu(x);
                    return x;
                }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0017", "The condition of this 'for' loop ('i < x.Length')", "tensor 'x'", "must be constants");
    }

    [Fact]
    public void DSL0017_NotConstantControlFlow_LocalThatIsNotConst()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                private int _depth = 2;

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    for (int i = 0; /*here*/i < _depth; i++)
                        x = Relu(x);
                    return x;
                }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0017", "('i < _depth')", "the field '_depth'", "an instance field", "declare it 'const'");
    }

    [Fact]
    public void DSL0018_ReadonlyCouldBeConst()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                private static readonly float /*here*/Scale = 0.5f;

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => x * Scale;
            }
            """);

        Diagnostic d = AssertSingleDiagnostic(source, "DSL0018", "'Scale'", "'const float Scale = ...'");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
    }

    [Fact]
    public void DSL0019_LoopNotUnrollable()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    for (int i = 0; i < 3; i++)
                    {
                        x = Relu(x);
                        if (i == 1) /*here*/break;
                    }
                    return x;
                }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0019", "uses 'break'", "constant start and end");
    }

    [Fact]
    public void DSL0019_LoopNotUnrollable_AssignsTheLoopVariable()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    for (int i = 0; i < 3; i++)
                    {
                        x = Relu(x);
                        /*here*/i += 1;
                    }
                    return x;
                }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0019", "assigns the loop variable 'i'", "'i += 1'");
    }

    [Fact]
    public void DSL0019_LoopNotUnrollable_TooManyIterations()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    for (int i = 0; /*here*/i < 100000; i++)
                        x = x + 1;
                    return x;
                }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0019", "more than 4096 times");
    }

    [Fact]
    public void DSL0020_NotConstantValue()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                private float _scale = 0.5f;

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => x * /*here*/_scale;
            }
            """);

        AssertSingleDiagnostic(source, "DSL0020", "'_scale'", "an instance field", "declare it 'const'");
    }

    [Fact]
    public void DSL0020_NotConstantValue_StaticReadonlyWithoutConstantInitializer()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                private static readonly float Scale = (float)System.Environment.ProcessorCount;

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => x * /*here*/Scale;
            }
            """);

        AssertSingleDiagnostic(source, "DSL0020", "'Scale'", "static readonly field 'Scale'", "initializer is not a compile-time constant");
    }

    [Fact]
    public void DSL0006_InvalidDimension()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([/*here*/Shape(10, -1)] Tensor x) => Output(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0006", "-1", "[Shape] of x");
    }

    /// <summary><c>[Dense(0)]</c>: the layer is invalid, but it must still get a fallback body so C# adds no CS8795.</summary>
    [Fact]
    public void DSL0006_InvalidDimension_DenseWidthZero()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [/*here*/Dense(0)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0006", "Dimension 0", "[Dense] Output");
    }

    [Fact]
    public void DSL0007_MissingShape()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);

                [TrainingStep]
                public Tensor TrainingStep(Tensor /*here*/x, Label y) => Sum(x);

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0007", "'x'", "[Shape(...)]");
    }

    [Fact]
    public void DSL0008_NestedModel()
    {
        var source = MarkedSource.Model("""
            public static class Models
            {
                [Model]
                public partial class /*here*/Classifier
                {
                    [Forward]
                    public Tensor Forward([Shape(10)] Tensor x) => Relu(x);
                }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0008", "'Classifier'", "nested in 'Models'", "partial class");
    }

    /// <summary>Inside partial classes a model is fine: the generated parts reopen them.</summary>
    [Fact]
    public void DSL0008_NotReportedForAModelNestedInPartialClasses()
    {
        var source = MarkedSource.Model("""
            public static partial class Models
            {
                public partial class Inner
                {
                    [Model]
                    public partial class /*here*/Classifier
                    {
                        [Dense(2)] private partial Tensor Output(Tensor x);

                        [Forward]
                        public Tensor Forward([Shape(10)] Tensor x) => Output(x);
                    }
                }
            }
            """);

        var (run, compilation) = GeneratorHarness.Run(source.Text);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(compilation.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Contains(run.GeneratedTrees, t => t.FilePath.EndsWith("Models.Inner.Classifier.Cpu.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void DSL0014_UnsupportedModelType()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial record /*here*/Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Relu(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0014", "'Classifier'", "a record");
    }

    [Fact]
    public void DSL0014_UnsupportedModelType_StaticClass()
    {
        var source = MarkedSource.Model("""
            [Model]
            public static partial class /*here*/Classifier
            {
            }
            """);

        AssertSingleDiagnostic(source, "DSL0014", "'Classifier'", "static");
    }

    [Fact]
    public void DSL0015_HookNotCalled()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Relu(x);

                private void /*here*/OnTrainEpochEnd(Trainer trainer) { }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0015", "'OnTrainEpochEnd'", "is not public", "'public void OnTrainEpochEnd(Trainer trainer)'");
    }

    [Fact]
    public void DSL0015_HookNotCalled_OtherParameters()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Relu(x);

                public void /*here*/OnTrainBatchEnd(Trainer trainer) { }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0015", "has other parameters", "'public void OnTrainBatchEnd(Trainer trainer, float loss)'");
    }

    [Fact]
    public void DSL0016_ReservedMemberName_TheModelsOwnName()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class /*here*/Program
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Relu(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0016", "'Program'", "rename it");
    }

    [Fact]
    public void DSL0016_ReservedMemberName()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor /*here*/Parameters([Shape(10)] Tensor x) => Output(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0016", "'Parameters'", "'Classifier'", "rename it");
    }

    [Fact]
    public void DSL0016_ReservedMemberName_ExportOnnx()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);

                public void /*here*/ExportOnnx(string path) { }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0016", "'ExportOnnx'", "'Classifier'", "rename it");
    }

    [Fact]
    public void HooksDeclaredWithTheirSignaturesAreNotWarnedAbout()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Relu(x);

                public void /*here*/OnTrainEpochEnd(Trainer trainer) { }
                public void OnTrainBatchEnd(Trainer trainer, float loss) { }
            }
            """);

        Result result = Run(source);
        Assert.Empty(result.Run.Diagnostics);
        Assert.Empty(result.CSharp.Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void DSL0009_RecursiveCall()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Relu(Ping(x));

                private Tensor Ping(Tensor x) => Pong(x) * 0.5;

                private Tensor Pong(Tensor x) => /*here*/Ping(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0009", "'Ping'", "'Pong'");
    }

    [Fact]
    public void DSL0010_UnusedLayer()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);
                [Dense(4)] private partial Tensor /*here*/Unused(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);
            }
            """);

        // A warning: the model still compiles, so the generator writes the whole program.
        var result = Run(source);
        Diagnostic d = AssertSingle(result, source, "DSL0010", "'Unused'", "never called");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains(result.Run.GeneratedTrees, t => t.FilePath.EndsWith("Classifier.Cpu.g.cs", StringComparison.Ordinal));
        AssertNoPartialMethodCascade(result.CSharp);
        AssertNoCSharpErrorsIn(result.CSharp, FilePath);
    }

    /// <summary>
    /// When lowering stops at an error, the layers it had not reached yet are not unused: warning
    /// that they are "never called" sends the user after a problem that does not exist.
    /// </summary>
    [Fact]
    public void DSL0010_UnusedLayer_NotReportedForALayerThatIsCalled()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(2, 5)] Tensor x) => Output(/*here*/Sum(x));
            }
            """);

        var result = Run(source);
        AssertSingle(result, source, "DSL0102", "Dense layer 'Output'", "[]");
        Assert.DoesNotContain(result.Run.Diagnostics, d => d.Id == "DSL0010");
    }

    [Fact]
    public void DSL0011_MissingOptimizer()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class /*here*/Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0011", "'Classifier'", "[Optimizer]");
    }

    [Fact]
    public void DSL0012_BadMethodSignature()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);

                [Forward]
                public Tensor /*here*/Predict([Shape(10)] Tensor x) => Output(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0012", "'Predict'", "second [Forward]", "'Forward'");
    }

    /// <summary>A non-static [Optimizer] is one mistake: DSL0012 at the method, not also DSL0011 "no [Optimizer]" at the class.</summary>
    [Fact]
    public void DSL0012_BadMethodSignature_NonStaticOptimizer()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

                [Optimizer]
                private Optimizer /*here*/MakeOptimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0012", "[Optimizer]", "'MakeOptimizer'", "must be static");
    }

    /// <summary>
    /// C# rejects every way of naming a local that has no value (CS0165, CS0841) and the parser
    /// reports what it cannot read (DSL0005) before lowering runs, so DSL0013 is lowering's own
    /// safety net. It is tested there, on a spec built by hand from a valid model's.
    /// </summary>
    [Fact]
    public void DSL0013_UnknownVariable()
    {
        ModelSpec valid = ParseSpec(MarkedSource.Usings + """
            [Model]
            public partial class Classifier
            {
                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Relu(x);
            }
            """);
        // As if the user had written 'Relu(h)' with no 'h' in scope.
        var nameLocation = new LocationInfo(FilePath, 146, 1, 9, 56, 9, 57);
        var callLocation = new LocationInfo(FilePath, 141, 7, 9, 51, 9, 58);
        MethodSpec forward = valid.Methods.Single(m => m.Role == MethodRole.Forward);
        MethodSpec broken = forward with
        {
            Body = EquatableArray.Of<Statement>(new ReturnStatement(
                new CallExpression(CallTarget.Op, "Relu", EquatableArray.Of<Expression>(new NameExpression("h", nameLocation)), callLocation),
                callLocation)),
        };
        ModelSpec spec = valid with { Methods = valid.Methods.Select(m => m == forward ? broken : m).ToEquatableArray() };

        CompileResult result = ModelCompiler.Compile(new ParseResult(spec, EquatableArray<DiagnosticInfo>.Empty));

        DiagnosticInfo info = Assert.Single(result.Diagnostics);
        Assert.Equal("DSL0013", info.Descriptor.Id);
        Assert.Equal(nameLocation, info.Location);
        Assert.Equal("'h' is not a parameter or an assigned local of this method", info.Message);
        // The model failed, so only the fallback file is written.
        GeneratedSource fallback = Assert.Single(result.Sources);
        Assert.Equal("Samples.Classifier.Model.g.cs", fallback.HintName);
    }

    // ---- Shape: static shape checking (01xx) ----

    [Fact]
    public void DSL0101_ShapeMismatch()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(16)] private partial Tensor Hidden(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => /*here*/Hidden(x) + x;
            }
            """);

        Diagnostic d = AssertSingleDiagnostic(source, "DSL0101", "'+'", "[16]", "[10]");
        Assert.Equal(source.IndexOf("Hidden(x) + x") + "Hidden(x) + x".Length, d.Location.SourceSpan.End);
    }

    [Fact]
    public void DSL0102_BadRank()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => /*here*/Softmax(Sum(Output(x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0102", "Softmax", "a vector", "[]");
    }

    [Fact]
    public void DSL0103_LayerInputConflict()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(10)] private partial Tensor Hidden(Tensor x);

                [Forward]
                public Tensor Forward([Shape(4)] Tensor x) => /*here*/Hidden(Hidden(x));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0103", "'Hidden'", "[4]", "[10]");
    }

    [Fact]
    public void DSL0104_NotScalar()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y)
                {
                    Log("logits", /*here*/Forward(x));
                    return CrossEntropy(Forward(x), y);
                }

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0104", "'logits'", "[2]");
    }

    [Fact]
    public void DSL0104_NotScalar_TrainingStepReturnsAVector()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y) => /*here*/Forward(x);

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0104", "loss", "'TrainingStep'", "[2]");
    }

    /// <summary>
    /// A Tensor where a Label is expected, in a form C# accepts: an int converts implicitly to
    /// <c>Label</c> for C#, but to the DSL a numeric literal is a constant tensor.
    /// </summary>
    [Fact]
    public void DSL0105_WrongArgumentKind()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), /*here*/1);

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        Diagnostic d = AssertSingleDiagnostic(source, "DSL0105", "CrossEntropy", "a Label", "argument 2", "a Tensor");
        // Reported at the offending argument itself.
        Assert.Equal(1, d.Location.SourceSpan.Length);
    }

    [Fact]
    public void DSL0105_WrongArgumentKind_ModelMethodParameter()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y) => Loss(Forward(x), /*here*/1);

                private Tensor Loss(Tensor logits, Label target) => CrossEntropy(logits, target);

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0105", "Loss", "a Label", "argument 2", "a Tensor");
    }

    // ---- Internal (9999) ----

    /// <summary>
    /// No user model should reach DSL9999; it is the net under the compiler core. A spec that
    /// calls a layer the model does not have (which the parser never produces) makes lowering
    /// throw, and the exception must come back as DSL9999 at the model, with the fallback file.
    /// </summary>
    [Fact]
    public void DSL9999_InternalError()
    {
        ModelSpec valid = ParseSpec(MarkedSource.Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);
            }
            """);
        MethodSpec forward = valid.Methods.Single(m => m.Role == MethodRole.Forward);
        MethodSpec broken = forward with
        {
            Body = EquatableArray.Of<Statement>(new ReturnStatement(
                new CallExpression(CallTarget.Layer, "NoSuchLayer", EquatableArray.Of<Expression>(new NameExpression("x", null)), null), null)),
        };
        ModelSpec spec = valid with { Methods = valid.Methods.Select(m => m == forward ? broken : m).ToEquatableArray() };

        CompileResult result = ModelCompiler.Compile(new ParseResult(spec, EquatableArray<DiagnosticInfo>.Empty));

        DiagnosticInfo info = Assert.Single(result.Diagnostics);
        Assert.Equal("DSL9999", info.Descriptor.Id);
        Assert.Equal(spec.Location, info.Location);
        Assert.Contains("lowering the model to IR", info.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidOperationException), info.Message, StringComparison.Ordinal);
        Assert.Single(result.Sources);
    }

    // ---- The catalogue ----

    [Fact]
    public void DSL0003_BadLayerSignature_EmbeddingOfATensor()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Lm
            {
                [Embedding(16, 8)] private partial Tensor /*here*/Token(Tensor ids);

                [Forward]
                public Tensor Forward([Shape(8)] Tensor x) => Token(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0003", "'Token'", "partial Tensor Token(Tokens ids);", "exactly one Tokens");
    }

    [Fact]
    public void DSL0106_UnsupportedArange()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Lm
            {
                [Embedding(16, 8)] private partial Tensor Token(Tokens ids);
                [Embedding(32, 8)] private partial Tensor Position(Tokens positions);
                [Dense(16)] private partial Tensor Head(Tensor x);

                [Forward]
                public Tensor Forward([Shape(16)] Tokens ids) => Head(Token(ids) + Position(/*here*/Arange(16)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0106", "Arange(16)", "exactly 16 rows", "'Position' has 32 rows");
    }

    /// <summary>Cross-entropy over a sequence: the logits' positions and the targets' must agree.</summary>
    [Fact]
    public void DSL0101_ShapeMismatch_CrossEntropyOverPositions()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Lm
            {
                [Embedding(16, 8)] private partial Tensor Token(Tokens ids);
                [Dense(16)] private partial Tensor Head(Tensor x);

                [Forward]
                public Tensor Forward([Shape(8)] Tokens ids) => Head(Token(ids));

                [TrainingStep]
                public Tensor TrainingStep(Tokens ids, [Shape(4)] Tokens next) => /*here*/CrossEntropy(Forward(ids), next);

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0101", "CrossEntropy(logits [..., classes], targets [...])", "[8, 16]", "[4]");
    }

    /// <summary>A sequence longer than the context the forward method declares.</summary>
    [Fact]
    public void DSL0101_ShapeMismatch_SequenceLongerThanTheContext()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Lm
            {
                [Embedding(16, 8)] private partial Tensor Token(Tokens ids);
                [Dense(16)] private partial Tensor Head(Tensor x);

                [Forward]
                public Tensor Forward([Shape(8)] Tokens ids) => Head(Token(ids));

                [TrainingStep]
                public Tensor TrainingStep([Shape(12)] Tokens ids, Tokens next) => CrossEntropy(Forward(/*here*/ids), next);

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0101", "Tokens argument 'ids' of Forward", "[8]", "[12]");
    }

    [Fact]
    public void DSL0102_BadRank_LayerNormOfAScalar()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [LayerNorm] private partial Tensor Norm(Tensor x);

                [Forward]
                public Tensor Forward([Shape(4, 10)] Tensor x) => x * Norm(/*here*/Sum(x));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0102", "LayerNorm layer 'Norm'", "a vector [d] or a sequence [..., d]", "[]");
    }

    [Fact]
    public void DSL0006_InvalidDimension_Embedding()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Lm
            {
                [/*here*/Embedding(16, 0)] private partial Tensor Token(Tokens ids);

                [Forward]
                public Tensor Forward([Shape(8)] Tokens ids) => Token(ids);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0006", "Dimension 0", "[Embedding] Token");
    }

    [Fact]
    public void DSL0107_InvalidDropoutProbability()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);
                [/*here*/Dropout(1.5f)] private partial Tensor Drop(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(Drop(x));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0107", "1.5", "[Dropout] Drop", "[0, 1)");
    }

    [Fact]
    public void DSL0107_InvalidDropoutProbability_Attention()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Gpt
            {
                [/*here*/MultiHeadAttention(Heads = 2, Dropout = 1f)] private partial Tensor Attention(Tensor x);

                [Forward]
                public Tensor Forward([Shape(4, 8)] Tensor x) => Attention(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0107", "1", "[MultiHeadAttention] Attention", "[0, 1)");
    }

    [Fact]
    public void DSL0113_HeadsDoNotDivideWidth()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Gpt
            {
                [/*here*/MultiHeadAttention(Heads = 3, Causal = true)] private partial Tensor Attention(Tensor x);

                [Forward]
                public Tensor Forward([Shape(4, 8)] Tensor x) => Attention(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0113", "'Attention'", "3 heads", "width 8");
    }

    [Fact]
    public void DSL0114_InvalidHeadCount()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Gpt
            {
                [/*here*/MultiHeadAttention(Heads = 0)] private partial Tensor Attention(Tensor x);

                [Forward]
                public Tensor Forward([Shape(4, 8)] Tensor x) => Attention(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0114", "'Attention'", "at least 1", "(it is 0)");
    }

    [Fact]
    public void DSL0114_InvalidHeadCount_Missing()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Gpt
            {
                [/*here*/MultiHeadAttention(Causal = true)] private partial Tensor Attention(Tensor x);

                [Forward]
                public Tensor Forward([Shape(4, 8)] Tensor x) => Attention(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0114", "'Attention'", "must set Heads", "missing");
    }

    [Fact]
    public void DSL0116_AttentionOverNonSequence()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Gpt
            {
                [MultiHeadAttention(Heads = 2)] private partial Tensor Attention(Tensor x);

                [Forward]
                public Tensor Forward([Shape(8)] Tensor x) => Attention(/*here*/x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0116", "'Attention'", "[T, d]", "[8]");
    }

    // ---- Composition: [Module] children and [Repeat] stacks (0118-0122) ----

    private const string Block = """
        [Module]
        public partial class Block
        {
            [Dense(10)] private partial Tensor Up(Tensor x);

            [Forward]
            public Tensor Forward(Tensor x) => x + Up(x);
        }

        """;

    [Fact]
    public void DSL0118_InvalidRepeat()
    {
        var source = MarkedSource.Model(Block + """
            [Model]
            public partial class Classifier
            {
                [/*here*/Repeat(0)] private partial Block[] Blocks { get; }

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    foreach (var block in Blocks) x = block.Forward(x);
                    return x;
                }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0118", "'Blocks'", "count of 0", "compile-time constant from 1 to 1024");
    }

    [Fact]
    public void DSL0118_InvalidRepeat_NotAConstant()
    {
        var source = MarkedSource.Model(Block + """
            [Model]
            public partial class Classifier
            {
                public static int Depth = 3;
                [/*here*/Repeat(Depth)] private partial Block[] Blocks { get; }

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    foreach (var block in Blocks) x = block.Forward(x);
                    return x;
                }
            }
            """);

        Result result = Run(source);
        AssertSingle(result, source, "DSL0118", "'Blocks'", "not a compile-time constant");
        AssertNoPartialMethodCascade(result.CSharp);
        Assert.Equal(new[] { "CS0182" }, result.CSharp.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).ToArray());
    }

    [Fact]
    public void DSL0118_InvalidRepeat_ArrayWithoutRepeat()
    {
        var source = MarkedSource.Model(Block + """
            [Model]
            public partial class Classifier
            {
                private partial Block[] /*here*/Blocks { get; }

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Blocks[0].Forward(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0118", "'Blocks'", "without [Repeat(n)]");
    }

    /// <summary>A count typed by mistake is refused before anything is unrolled (the fuzzer's 1 &lt;&lt; 20 took the test host past 14 GB).</summary>
    [Fact]
    public void DSL0118_InvalidRepeat_TooManyToUnroll()
    {
        var source = MarkedSource.Model(Block + """
            [Model]
            public partial class Classifier
            {
                [/*here*/Repeat(1 << 20)] private partial Block[] Blocks { get; }

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    foreach (var block in Blocks) x = block.Forward(x);
                    return x;
                }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0118", "'Blocks'", "count of 1048576, more than 1024");
    }

    /// <summary>Stacks inside stacks multiply: 100 outer blocks of 1 + 100 modules each pass the 4096-module limit.</summary>
    [Fact]
    public void DSL0118_InvalidRepeat_NestedStacksTooManyToUnroll()
    {
        var source = MarkedSource.Model(Block + """
            [Module]
            public partial class Outer
            {
                [Repeat(100)] private partial Block[] Inner { get; }

                [Forward]
                public Tensor Forward(Tensor x)
                {
                    foreach (var block in Inner) x = block.Forward(x);
                    return x;
                }
            }

            [Model]
            public partial class Classifier
            {
                [Repeat(100)] private partial Outer[] /*here*/Blocks { get; }

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    foreach (var block in Blocks) x = block.Forward(x);
                    return x;
                }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0118", "'Blocks'", "more than 4096 modules");
    }

    [Fact]
    public void DSL0119_ChildNotModule()
    {
        var source = MarkedSource.Model("""
            public partial class Helper
            {
                public Tensor Forward(Tensor x) => x;
            }

            [Model]
            public partial class Classifier
            {
                private partial Helper /*here*/Encoder { get; }

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Encoder.Forward(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0119", "'Encoder'", "'Classifier'", "'Helper' is not a [Module] class");
    }

    [Fact]
    public void DSL0120_ModuleWithoutForward()
    {
        var source = MarkedSource.Model("""
            [Module]
            public partial class /*here*/Block
            {
                [Dense(10)] private partial Tensor Up(Tensor x);

                public Tensor Apply(Tensor x) => Up(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0120", "'Block'", "[Forward]");
    }

    [Fact]
    public void DSL0121_RecursiveModule()
    {
        var source = MarkedSource.Model("""
            [Module]
            public partial class Block
            {
                [Dense(10)] private partial Tensor Up(Tensor x);
                private partial Block /*here*/Inner { get; }

                [Forward]
                public Tensor Forward(Tensor x) => Inner.Forward(Up(x));
            }

            [Model]
            public partial class Classifier
            {
                private partial Block Encoder { get; }

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Encoder.Forward(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0121", "'Inner'", "'Block'", "contains");
    }

    [Fact]
    public void DSL0122_StackMisuse()
    {
        var source = MarkedSource.Model(Block + """
            [Model]
            public partial class Classifier
            {
                [Repeat(2)] private partial Block[] Blocks { get; }

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x)
                {
                    x = /*here*/Blocks[System.Environment.ProcessorCount % 2].Forward(x);
                    return x;
                }
            }
            """);

        AssertSingleDiagnostic(source, "DSL0122", "'Blocks'", "'Blocks[System.Environment.ProcessorCount % 2]'", "foreach (var m in Blocks)", "from 0 to 1");
    }

    [Fact]
    public void DSL0122_StackMisuse_IndexOutOfRange()
    {
        var source = MarkedSource.Model(Block + """
            [Model]
            public partial class Classifier
            {
                [Repeat(2)] private partial Block[] Blocks { get; }

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => /*here*/Blocks[2].Forward(Blocks[0].Forward(x));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0122", "'Blocks[2]'", "from 0 to 1");
    }

    [Fact]
    public void DSL0123_TensorTooLarge()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(1000000)] private partial Tensor Hidden(Tensor x);

                [Forward]
                public Tensor Forward([Shape(1000000)] Tensor x) => /*here*/Hidden(x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0123", "[1000000, 1000000]", "2147483647", "int");
    }

    /// <summary>A padding near int's range (a fuzzer's mutant) is a too-large tensor at the layer, not an overflow.</summary>
    [Fact]
    public void DSL0123_TensorTooLarge_ConvolutionPadding()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Conv2d(3, 3, Padding = 1 << 20, Bias = false)] private partial Tensor Conv(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(2, 5, 4)] Tensor x) => Output(Flat(/*here*/Conv(x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0123", "receptive fields [4398056996870, 18]", "2147483647");
    }

    [Fact]
    public void DSL0130_KernelLargerThanInput()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Conv2d(4, 5, Padding = 1, Dilation = 2)] private partial Tensor Conv(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(1, 8, 6)] Tensor x) => Output(Flat(Conv(/*here*/x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0130", "reaches 9x9", "[1, 8, 6]", "10x8");
    }

    [Fact]
    public void DSL0130_KernelLargerThanInput_Pooling()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [MaxPool2d(4)] private partial Tensor Pool(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(3, 3, 8)] Tensor x) => Output(Flat(Pool(/*here*/x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0130", "reaches 4x4", "[3, 3, 8]", "3x8");
    }

    [Fact]
    public void DSL0131_InvalidWindowArgument()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [/*here*/Conv2d(4, 3, Stride = 0)] private partial Tensor Conv(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(1, 8, 8)] Tensor x) => Output(Flat(Conv(x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0131", "Stride = 0", "[Conv2d] Conv", "at least 1");
    }

    [Fact]
    public void DSL0131_InvalidWindowArgument_PoolingPaddingOverHalfTheKernel()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [/*here*/AvgPool2d(3, Padding = 2)] private partial Tensor Pool(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(1, 8, 8)] Tensor x) => Output(Flat(Pool(x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0131", "Padding = 2", "[AvgPool2d] Pool", "at most half the kernel (1)");
    }

    [Fact]
    public void DSL0131_InvalidWindowArgument_PerAxisStrideZero()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [/*here*/MaxPool2d(2, 3, StrideWidth = 0)] private partial Tensor Pool(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(1, 8, 9)] Tensor x) => Output(Flat(Pool(x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0131", "StrideWidth = 0", "[MaxPool2d] Pool", "at least 1");
    }

    [Fact]
    public void DSL0130_KernelLargerThanInput_NonSquare()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Conv2d(4, 1, 7, PaddingWidth = 1)] private partial Tensor Conv(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(1, 8, 4)] Tensor x) => Output(Flat(Conv(/*here*/x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0130", "reaches 1x7", "[1, 8, 4]", "8x6");
    }

    [Fact]
    public void DSL0132_GroupsDoNotDivideChannels()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Conv2d(8, 3, Groups = 4)] private partial Tensor Conv(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(6, 8, 8)] Tensor x) => Output(Flat(Conv(/*here*/x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0132", "Groups = 4", "[Conv2d] Conv", "input channels (6", "[6, 8, 8]", "output channels (8)");
    }

    [Fact]
    public void DSL0134_InvalidBatchNormArgument()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [/*here*/BatchNorm1d(Momentum = 1.5)] private partial Tensor Norm(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(4)] Tensor x) => Output(Norm(x));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0134", "Momentum = 1.5", "[BatchNorm1d] Norm", "between 0 and 1");
    }

    [Fact]
    public void DSL0134_InvalidBatchNormArgument_EpsNotPositive()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [/*here*/BatchNorm2d(Eps = 0)] private partial Tensor Norm(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(2, 4, 4)] Tensor x) => Output(Flat(Norm(x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0134", "Eps = 0", "[BatchNorm2d] Norm", "positive and finite");
    }

    [Fact]
    public void DSL0134_InvalidBatchNormArgument_MomentumWithTheCumulativeAverage()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [/*here*/BatchNorm1d(CumulativeAverage = true, Momentum = 0.2)] private partial Tensor Norm(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(4)] Tensor x) => Output(Norm(x));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0134", "Momentum = 0.2", "[BatchNorm1d] Norm", "left out with CumulativeAverage = true");
    }

    [Fact]
    public void DSL0102_BadRank_Conv2dOfAVector()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Conv2d(4, 3)] private partial Tensor Conv(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(64)] Tensor x) => Output(Flat(Conv(/*here*/x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0102", "Conv2d layer 'Conv'", "an image [C, H, W]", "[64]");
    }

    /// <summary>A model with two shaped inputs whose forward is <paramref name="body"/>, for the tensor-op diagnostics.</summary>
    private static MarkedSource TensorOpModel(string body) => MarkedSource.Model($$"""
        [Model]
        public partial class Ops2
        {
            [Dense(2)] private partial Tensor Output(Tensor x);

            [Forward]
            public Tensor Forward([Shape(4, 3)] Tensor x, [Shape(2, 5)] Tensor y) => Output({{body}});
        }
        """);

    [Fact]
    public void DSL0108_AxisOutOfRange()
    {
        var source = TensorOpModel("/*here*/Transpose(x, 0, 2)");
        AssertSingleDiagnostic(source, "DSL0108", "Axis 2 of Transpose", "shape [4, 3] (rank 2)", "axes are 0 and 1, or -2 and -1 from the end");
    }

    [Fact]
    public void DSL0108_AxisOutOfRange_NegativeMeanAxis()
    {
        var source = TensorOpModel("/*here*/Mean(x, -3)");
        AssertSingleDiagnostic(source, "DSL0108", "Axis -3 of Mean", "[4, 3]", "0 and 1");
    }

    [Fact]
    public void DSL0108_AxisOutOfRange_MaxOverAnAxis()
    {
        var source = TensorOpModel("/*here*/Max(x, 2, true)");
        AssertSingleDiagnostic(source, "DSL0108", "Axis 2 of Max", "[4, 3]", "0 and 1");
    }

    [Fact]
    public void DSL0101_ShapeMismatch_BroadcastingNamesTheRuleAndThePair()
    {
        var source = TensorOpModel("/*here*/Reshape(x, 4, 1, 3) * y");
        AssertSingleDiagnostic(source, "DSL0101", "'*' broadcasts shapes aligned from the last axis when each pair of dimensions is equal or one of them is 1",
            "here 3 against 5 at axis -1", "shapes [4, 1, 3] and [2, 5]");
    }

    [Fact]
    public void DSL0108_AxisOutOfRange_StackCountsTheNewAxis()
    {
        var source = TensorOpModel("Reshape(/*here*/Stack([x, x * 2], axis: 3), 24)");
        AssertSingleDiagnostic(source, "DSL0108", "Axis 3 of Stack (the axis counts in the stacked result)", "shape [2, 4, 3] (rank 3)", "0 to 2");
    }

    [Fact]
    public void DSL0101_ShapeMismatch_StackOfPartsOfTwoShapes()
    {
        var source = TensorOpModel("Reshape(/*here*/Stack([x, Transpose(x)]), 24)");
        AssertSingleDiagnostic(source, "DSL0101", "Stack (every part must have the first part's shape)", "[4, 3]", "[3, 4]");
    }

    [Fact]
    public void DSL0101_ShapeMismatch_GatherIndexOfAnotherShape()
    {
        var source = TensorOpModel("Reshape(/*here*/Gather(x, 0, ArgMax(y, 0, true)), 5)");
        AssertSingleDiagnostic(source, "DSL0101", "Gather along axis 0 (the index must have x's rank and x's length on every other axis)", "[4, 3]", "[1, 5]");
    }

    [Fact]
    public void DSL0005_UnsupportedSyntax_GatherAtIndicesThatAreNotPerExample()
    {
        var source = TensorOpModel("Reshape(/*here*/Gather(x, 0, ArgMax(CausalMask(3), 0, true)), 3)");
        AssertSingleDiagnostic(source, "DSL0005", "Gather of a per-example tensor at indices that are not per example");
    }

    [Fact]
    public void NamedArgumentsDefaultsAndArraysOfOpsCallsCompile()
    {
        // torch's spellings: keyword arguments, an omitted default between two given ones (unbiased),
        // and the parts of Cat and Stack as a collection expression or an array.
        var source = TensorOpModel("/*here*/Cat([Reshape(Cat([Sum(x, axis: 0, keepDim: true), Variance(x, 0, keepDim: true), Max(x, axis: -2, keepDim: true)], axis: 0), 9),"
            + " Reshape(Stack(new[] { Softmax(x, axis: 0), LogSoftmax(x, axis: -1) }, axis: 0), 24)])");
        var (run, compilation) = GeneratorHarness.Run(source.Text);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(compilation.Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void DSL0109_ReshapeSizeMismatch()
    {
        var source = TensorOpModel("/*here*/Reshape(x, 5, -1)");
        AssertSingleDiagnostic(source, "DSL0109", "shape [4, 3] (12 elements)", "[5, -1]", "at most one -1");
    }

    [Fact]
    public void DSL0110_ConcatShapeMismatch()
    {
        var source = TensorOpModel("/*here*/Concat(0, x, y)");
        AssertSingleDiagnostic(source, "DSL0110", "along axis 0", "[2, 5]", "[4, 3]");
    }

    [Fact]
    public void DSL0111_MatMulShapeMismatch()
    {
        var source = TensorOpModel("/*here*/MatMul(x, x)");
        AssertSingleDiagnostic(source, "DSL0111", "MatMul of [4, 3] and [4, 3]", "inner dimensions 3 and 4 differ");
    }

    /// <summary>Split's parts are known at compile time, so an index past them is reported at the indexing.</summary>
    [Fact]
    public void DSL0005_UnsupportedSyntax_SplitPartPastTheEnd()
    {
        var source = TensorOpModel("/*here*/Split(x, 2, -1)[2]");
        AssertSingleDiagnostic(source, "DSL0005", "Part [2] of 2 parts");
    }

    [Fact]
    public void DSL0112_WhereNotBroadcastable()
    {
        var source = TensorOpModel("/*here*/Where(CausalMask(4), x, 0f)");
        AssertSingleDiagnostic(source, "DSL0112", "condition [4, 4]", "a [4, 3]", "b []");
    }

    /// <summary>Every ID has a test here named <c>{ID}_{Descriptor}</c>, a page in docs/diagnostics and a line in its README, and a help link to the page.</summary>
    [Fact]
    public void EveryDescriptorHasATestAndADocPage()
    {
        var fields = typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DslDiagnosticDescriptor))
            .ToList();
        Assert.True(fields.Count >= 19, "The catalogue should hold at least DSL0001-0013, DSL0101-0105 and DSL9999.");

        var ids = fields.Select(f => ((DslDiagnosticDescriptor)f.GetValue(null)!).Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var tests = typeof(DiagnosticsTests).GetMethods()
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .Select(m => m.Name)
            .ToHashSet();
        string docs = Path.Combine(RepositoryRoot(), "docs", "diagnostics");
        string readme = File.ReadAllText(Path.Combine(docs, "README.md"));

        var problems = new List<string>();
        foreach (FieldInfo field in fields)
        {
            var descriptor = (DslDiagnosticDescriptor)field.GetValue(null)!;
            string id = descriptor.Id;
            if (!System.Text.RegularExpressions.Regex.IsMatch(id, "^DSL[0-9]{4}$"))
                problems.Add($"{field.Name}: ID '{id}' is not DSL####");
            if (!tests.Contains(id + "_" + field.Name))
                problems.Add($"{id}: no [Fact] named {id}_{field.Name} in {nameof(DiagnosticsTests)}");
            string page = Path.Combine(docs, id + ".md");
            if (!File.Exists(page))
                problems.Add($"{id}: no page docs/diagnostics/{id}.md");
            else if (!File.ReadAllText(page).StartsWith("# " + id, StringComparison.Ordinal))
                problems.Add($"{id}: docs/diagnostics/{id}.md does not open with '# {id}'");
            if (!readme.Contains("(" + id + ".md)", StringComparison.Ordinal))
                problems.Add($"{id}: docs/diagnostics/README.md does not link {id}.md");
            if (!descriptor.HelpLink.EndsWith("docs/diagnostics/" + id + ".md", StringComparison.Ordinal))
                problems.Add($"{id}: help link '{descriptor.HelpLink}' does not point at docs/diagnostics/{id}.md");
            if (RoslynDiagnostics.ToDescriptor(descriptor).HelpLinkUri != descriptor.HelpLink)
                problems.Add($"{id}: the Roslyn descriptor lost the help link");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    // ---- Helpers ----

    private sealed record Result(GeneratorDriverRunResult Run, ImmutableArray<Diagnostic> CSharp);

    private static Result Run(MarkedSource source)
    {
        var (run, csharp) = GeneratorHarness.Run(source.Text, FilePath);
        AssertGeneratorDidNotThrow(run);
        return new Result(run, csharp);
    }

    /// <summary>
    /// The common contract of an error test: exactly one <paramref name="id"/> at the marker, no
    /// other DSL error, a message holding each fragment, and a build whose only errors are the
    /// generator's (the fallback bodies keep C# from adding any).
    /// </summary>
    private static Diagnostic AssertSingleDiagnostic(MarkedSource source, string id, params string[] messageFragments)
    {
        Result result = Run(source);
        Diagnostic diagnostic = AssertSingle(result, source, id, messageFragments);
        AssertNoPartialMethodCascade(result.CSharp);
        var errors = result.CSharp.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "C# reported errors besides the DSL diagnostic:\n" + Describe(errors));
        return diagnostic;
    }

    private static Diagnostic AssertSingle(Result result, MarkedSource source, string id, params string[] messageFragments)
    {
        var dsl = result.Run.Diagnostics.Where(d => d.Id.StartsWith("DSL", StringComparison.Ordinal)).ToList();
        var matching = dsl.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected exactly one {id}; the generator reported:\n" + Describe(result.Run.Diagnostics));
        var otherErrors = dsl.Where(d => d.Id != id && d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(otherErrors.Count == 0, $"Expected {id} alone; the generator also reported:\n" + Describe(otherErrors));

        Diagnostic diagnostic = matching[0];
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        Assert.Equal(FilePath, span.Path);
        Assert.True(
            (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1) == (source.Line, source.Column),
            $"{id} should be at {FilePath}({source.Line},{source.Column}) but is at ({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {diagnostic}");
        Assert.Equal(source.Position, diagnostic.Location.SourceSpan.Start);

        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        foreach (string fragment in messageFragments)
            Assert.True(message.Contains(fragment, StringComparison.Ordinal), $"The message of {id} should contain \"{fragment}\": {message}");
        Assert.EndsWith("docs/diagnostics/" + id + ".md", diagnostic.Descriptor.HelpLinkUri, StringComparison.Ordinal);
        return diagnostic;
    }

    internal static void AssertGeneratorDidNotThrow(GeneratorDriverRunResult run)
    {
        Assert.Null(run.Results[0].Exception);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id is "CS8785" or "AD0001");
    }

    /// <summary>CS8795 (partial method without implementation) and CS0759 (implementation without definition) mean the fallback bodies are missing or wrong.</summary>
    internal static void AssertNoPartialMethodCascade(IEnumerable<Diagnostic> csharp)
    {
        var cascade = csharp.Where(d => d.Id is "CS8795" or "CS0759").ToList();
        Assert.True(cascade.Count == 0, "The generator left partial methods without a matching body:\n" + Describe(cascade));
    }

    private static void AssertNoCSharpErrorsIn(IEnumerable<Diagnostic> csharp, string path)
    {
        var errors = csharp.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.GetLineSpan().Path == path).ToList();
        Assert.True(errors.Count == 0, $"C# reported errors in {path}:\n" + Describe(errors));
    }

    internal static string Describe(IEnumerable<Diagnostic> diagnostics)
    {
        string text = string.Join("\n", diagnostics.Select(d => "  " + d.ToString()));
        return text.Length == 0 ? "  (none)" : text;
    }

    /// <summary>The spec the parser produced for <paramref name="source"/>, read from the Parse step's tracked output.</summary>
    internal static ModelSpec ParseSpec(string source)
    {
        var (run, _) = GeneratorHarness.Run(source, FilePath);
        var parse = (ParseResult)run.Results[0].TrackedSteps[DslGenerator.Steps.Parse].Single().Outputs.Single().Value;
        Assert.Empty(parse.Diagnostics);
        return parse.Model!;
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Dsl.sln")))
                return directory.FullName;
        throw new InvalidOperationException("Dsl.sln not found above " + AppContext.BaseDirectory);
    }

    // ---- Autodiff: [Differentiable] functions and their transforms (02xx) ----

    /// <summary>What a file of differentiable functions opens with: no model, plain C# math.</summary>
    private static MarkedSource Functions(string body) =>
        MarkedSource.Parse("using System;\nusing Dsl;\n\nnamespace Samples;\n\n" + body);

    /// <summary>
    /// <see cref="AssertSingleDiagnostic"/> for a failed transform: the derived method still gets a
    /// (throwing) body, so C# reports nothing else, in particular no CS8795.
    /// </summary>
    private static Diagnostic AssertSingleTransformDiagnostic(MarkedSource source, string derivedMethod, params string[] idAndFragments)
    {
        Result result = Run(source);
        Diagnostic diagnostic = AssertSingle(result, source, idAndFragments[0], idAndFragments.Skip(1).ToArray());
        AssertNoPartialMethodCascade(result.CSharp);
        var errors = result.CSharp.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"C# reported errors besides the DSL diagnostic on {derivedMethod}:\n" + Describe(errors));
        return diagnostic;
    }

    [Fact]
    public void DSL0201_UnsupportedFunctionSyntax()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double Cube(double x)
                {
                    double p = 1;
                    int n = 0;
                    /*here*/while (n < 3)
                    {
                        p *= x;
                        n++;
                    }
                    return p;
                }

                [Grad(nameof(Cube))] public static partial double DCube(double x);
            }
            """);

        Diagnostic d = AssertSingleTransformDiagnostic(source, "DCube", "DSL0201", "A 'while' loop", "[Differentiable]", "for loops");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
    }

    [Fact]
    public void DSL0201_UnsupportedFunctionSyntax_Break()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double Sum(double[] x)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        if (x[i] < 0) /*here*/break;
                        s += x[i];
                    }
                    return s;
                }

                [Grad(nameof(Sum))] public static partial double[] DSum(double[] x);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DSum", "DSL0201", "'break'");
    }

    [Fact]
    public void DSL0202_NotDifferentiableCall()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                private static double Clamp(double x) => x < 0 ? 0 : x;

                [Differentiable]
                public static double Loss(double x) => /*here*/Clamp(x) * x;

                [Grad(nameof(Loss))] public static partial double DLoss(double x);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DLoss", "DSL0202", "'Clamp' cannot be differentiated", "[Differentiable]");
    }

    /// <summary>A Math function without a derivative rule is named with its class, as the user wrote it.</summary>
    [Fact]
    public void DSL0202_NotDifferentiableCall_MathFunction()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double Loss(double x) => x * /*here*/Math.Truncate(x);

                [Grad(nameof(Loss))] public static partial double DLoss(double x);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DLoss", "DSL0202", "'Math.Truncate'");
    }

    /// <summary>
    /// Marking Math.Clamp [Differentiable] is no fix a user can make: the message says the Math
    /// function is not supported and lists those that are.
    /// </summary>
    [Fact]
    public void DSL0202_NotDifferentiableCall_MathClampListsTheSupportedFunctions()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double Loss(double x) => /*here*/Math.Clamp(x, 0.0, 1.0) * x;

                [Grad(nameof(Loss))] public static partial double DLoss(double x);
            }
            """);

        Diagnostic d = AssertSingleTransformDiagnostic(source, "DLoss", "DSL0202", "'Math.Clamp'", "this Math function is not supported", "Abs, Acos", "Max, Min", "Tanh");
        Assert.DoesNotContain("[Differentiable]", d.GetMessage().Split("(write it")[0]);
    }

    [Fact]
    public void DSL0203_UnknownWithRespectTo()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double Loss(double w, double x) => (w * x - 1) * (w * x - 1);

                [/*here*/Grad(nameof(Loss), WithRespectTo = "q")] public static partial double DLoss(double w, double x);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DLoss", "DSL0203", "'q'", "'Loss'", "'w', 'x'");
    }

    /// <summary>An int parameter is a parameter, but not one with a derivative.</summary>
    [Fact]
    public void DSL0203_UnknownWithRespectTo_IntParameter()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double Power(double x, int n) => Math.Pow(x, n);

                [/*here*/Grad(nameof(Power), WithRespectTo = "n")] public static partial int DPower(double x, int n);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DPower", "DSL0203", "'n'", "'Power'", "its parameters are 'x'");
    }

    /// <summary>A tuple with an int element has no gradient as a whole; with nothing else to name, the message says so.</summary>
    [Fact]
    public void DSL0203_UnknownWithRespectTo_TupleWithAnInt()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double Power((double X, int N) p) => Math.Pow(p.X, p.N);

                [/*here*/Grad(nameof(Power), WithRespectTo = "p")] public static partial (double, int) DPower((double X, int N) p);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DPower", "DSL0203", "'p'", "'Power'", "its parameters are none", "all its elements are double or float");
    }

    /// <summary>JAX's argnums=(0, 0) is an error too; silently giving two equal gradients hides a typo.</summary>
    [Fact]
    public void DSL0214_DuplicateWithRespectTo()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable] public static double F(double x, double y) => x * x * y;

                [/*here*/Grad(nameof(F), WithRespectTo = "x, x")] public static partial (double, double) DupGrad(double x, double y);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DupGrad", "DSL0214", "'x'", "'F'", "more than once");
    }

    [Fact]
    public void DSL0204_TransformSignatureMismatch()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable] public static double F(double x) => x * x;

                [Grad(nameof(F))] public static partial float /*here*/DF(double x);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DF", "DSL0204", "'DF'", "'static partial double DF(double)'", "gradient", "'F'");
    }

    /// <summary>A batch of matrices is spelt as C# spells it, double[][,], in the declaration the message asks for.</summary>
    [Fact]
    public void DSL0204_TransformSignatureMismatch_VmapOfJacobian()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double[] Polar(double[] p)
                {
                    var r = new double[2];
                    r[0] = p[0] * Math.Cos(p[1]);
                    r[1] = p[0] * Math.Sin(p[1]);
                    return r;
                }
                [Jacobian(nameof(Polar))] public static partial double[,] PolarJacobian(double[] p);

                [Vmap(nameof(PolarJacobian))] public static partial double[,] /*here*/PolarJacobians(double[][] p);
            }
            """);

        AssertSingleTransformDiagnostic(source, "PolarJacobians", "DSL0204", "'static partial double[][,] PolarJacobians(double[][] or double[])");
    }

    /// <summary>The source is what is wrong: the message says so, and names the transform that fits.</summary>
    [Fact]
    public void DSL0204_TransformSignatureMismatch_GradOfAnArrayFunction()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double[] F(double[] p)
                {
                    var r = new double[1];
                    r[0] = p[0] * p[1];
                    return r;
                }

                [Grad(nameof(F))] public static partial double[] /*here*/DF(double[] p);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DF", "DSL0204", "'DF' cannot be the gradient of 'F'", "[Grad] needs a function with a scalar result", "'F' returns double[]", "use [Jacobian]");
    }

    /// <summary>A (value, aux) source without HasAux: the message points at HasAux, not at [Jacobian].</summary>
    [Fact]
    public void DSL0204_TransformSignatureMismatch_GradOfAPairWithoutHasAux()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable] public static (double Loss, double Aux) F(double w) => (w * w, w);

                [Grad(nameof(F))] public static partial double /*here*/DF(double w);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DF", "DSL0204", "'DF' cannot be the gradient of 'F'", "'F' returns (double, double)", "set HasAux = true");
    }

    [Fact]
    public void DSL0204_TransformSignatureMismatch_HessianOfAScalarParameter()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable] public static double F(double x) => x * x * x;

                [Hessian(nameof(F))] public static partial double[,] /*here*/HF(double x);
            }
            """);

        AssertSingleTransformDiagnostic(source, "HF", "DSL0204", "'HF' cannot be the Hessian of 'F'", "[Hessian] differentiates an array parameter", "'x' of 'F' is double", "[Grad] of a [Grad]");
    }

    [Fact]
    public void DSL0204_TransformSignatureMismatch_JacobianOfAScalarResult()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable] public static double F(double[] p) => p[0] * p[1];

                [Jacobian(nameof(F))] public static partial double[,] /*here*/JF(double[] p);
            }
            """);

        AssertSingleTransformDiagnostic(source, "JF", "DSL0204", "'JF' cannot be the Jacobian of 'F'", "[Jacobian] needs a function with an array result", "'F' returns double", "use [Grad]");
    }

    [Fact]
    public void DSL0205_UnknownSourceFunction()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable] public static double F(double x) => x * x;

                [/*here*/Grad("Missing")] public static partial double DMissing(double x);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DMissing", "DSL0205", "[Grad]", "'Missing'", "'Calculus'");
    }

    /// <summary>A method that exists but is not [Differentiable] is no source either.</summary>
    [Fact]
    public void DSL0205_UnknownSourceFunction_NotDifferentiable()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                public static double F(double x) => x * x;

                [/*here*/Grad(nameof(F))] public static partial double DF(double x);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DF", "DSL0205", "[Grad]", "'F'", "'Calculus'");
    }

    /// <summary>Reported at the parameter list of the function, naming the parameter.</summary>
    [Fact]
    public void DSL0206_UnsupportedParameterType()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double Scale/*here*/(double x, string unit) => unit == "km" ? 1000 * x : x;

                [Grad(nameof(Scale))] public static partial double DScale(double x, string unit);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DScale", "DSL0206", "'unit'", "'string'");
    }

    [Fact]
    public void DSL0206_UnsupportedParameterType_Result()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static /*here*/decimal Square(double x) => (decimal)(x * x);

                [Grad(nameof(Square))] public static partial double DSquare(double x);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DSquare", "DSL0206", "'Square'", "'decimal'");
    }

    [Fact]
    public void DSL0206_UnsupportedParameterType_Local()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double Square(double x)
                {
                    decimal /*here*/exact = (decimal)x;
                    return x * x;
                }

                [Grad(nameof(Square))] public static partial double DSquare(double x);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DSquare", "DSL0206", "'exact'", "'decimal'");
    }

    [Fact]
    public void DSL0207_RecursiveFunction()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double Ping(double x) => x < 1 ? x : Pong(x / 2);

                [Differentiable]
                public static double Pong(double x) => 2 * /*here*/Ping(x);

                [Grad(nameof(Ping))] public static partial double DPing(double x);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DPing", "DSL0207", "'Ping' calls itself through 'Pong'", "cannot recurse");
    }

    [Fact]
    public void DSL0208_NotDifferentiableAgain()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable] public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

                [Vmap(nameof(Softplus))] public static partial double[] SoftplusBatch(double[] xs);

                [Differentiable]
                public static double First(double[] xs) => /*here*/SoftplusBatch(xs)[0];

                [Grad(nameof(First))] public static partial double[] DFirst(double[] xs);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DFirst", "DSL0208", "'SoftplusBatch'", "[Vmap]", "'Softplus'");
    }

    /// <summary>A [Hessian] named as a transform's source: reported at the attribute that names it.</summary>
    [Fact]
    public void DSL0208_NotDifferentiableAgain_HessianAsSource()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double Rosenbrock(double[] p) => (1 - p[0]) * (1 - p[0]) + 100 * (p[1] - p[0] * p[0]) * (p[1] - p[0] * p[0]);

                [Hessian(nameof(Rosenbrock))] public static partial double[,] RosenbrockHessian(double[] p);

                [/*here*/Grad(nameof(RosenbrockHessian))] public static partial double[] DHessian(double[] p);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DHessian", "DSL0208", "'RosenbrockHessian'", "[Hessian]", "'Rosenbrock'");
    }

    /// <summary>With HasAux the expected declaration nests the aux as JAX does: (gradient, aux).</summary>
    [Fact]
    public void DSL0204_TransformSignatureMismatch_HasAux()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static (double Loss, (double Mean, double[] Scaled) Stats) Loss(double[] w)
                {
                    var scaled = new double[w.Length];
                    double sum = 0;
                    for (int i = 0; i < w.Length; i++) { scaled[i] = 2 * w[i]; sum += w[i] * w[i]; }
                    return (sum, (sum / w.Length, scaled));
                }

                [Grad(nameof(Loss), HasAux = true)] public static partial (double[] Grad, double Mean, double[] Scaled) /*here*/DLoss(double[] w);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DLoss", "DSL0204", "'DLoss'", "'static partial (double[], (double, double[])) DLoss(double[])'", "gradient", "'Loss'");
    }

    [Fact]
    public void DSL0209_HasAuxWithoutPair()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable] public static double Loss(double w) => w * w;

                [/*here*/Grad(nameof(Loss), HasAux = true)] public static partial (double Grad, double Aux) DLoss(double w);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DLoss", "DSL0209", "[Grad(HasAux = true)]", "'Loss'", "(value, aux)", "returns 'double'");
    }

    /// <summary>The value, the pair's first element, must be a scalar: JAX's has_aux differentiates a scalar loss.</summary>
    [Fact]
    public void DSL0209_HasAuxWithoutPair_ArrayValue()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static (double[] Scaled, double Sum) Scale(double[] w)
                {
                    var scaled = new double[w.Length];
                    double sum = 0;
                    for (int i = 0; i < w.Length; i++) { scaled[i] = 2 * w[i]; sum += w[i]; }
                    return (scaled, sum);
                }

                [/*here*/ValueAndGrad(nameof(Scale), HasAux = true)] public static partial ((double[], double), double[]) ScaleAndGrad(double[] w);
            }
            """);

        AssertSingleTransformDiagnostic(source, "ScaleAndGrad", "DSL0209", "[ValueAndGrad(HasAux = true)]", "'Scale'", "'(double[] Scaled, double Sum)'");
    }

    /// <summary>The rule lacks the result parameter; the message spells out the declaration, and the [Grad] that reaches it adds no error of its own.</summary>
    [Fact]
    public void DSL0210_CustomRuleSignatureMismatch()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable] public static double SafeLog(double x) => Math.Log(x);

                [CustomVjp(nameof(SafeLog))]
                public static double /*here*/SafeLogVjp(double x, double cotangent) => x > 0 ? cotangent / x : 0;

                [Grad(nameof(SafeLog))] public static partial double DSafeLog(double x);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DSafeLog", "DSL0210", "'SafeLogVjp'",
            "'static double SafeLogVjp(double x, double result, double cotangent)'", "[CustomVjp]", "'SafeLog'");
    }

    /// <summary>A JVP rule takes a tangent per float parameter (arrays for arrays, none for ints) and returns the result's tangent.</summary>
    [Fact]
    public void DSL0210_CustomRuleSignatureMismatch_Jvp()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double Norm(double[] v, int n)
                {
                    double s = 0;
                    for (int i = 0; i < n; i++) s += v[i] * v[i];
                    return Math.Sqrt(s);
                }

                [CustomJvp(nameof(Norm))]
                public static double[] /*here*/NormJvp(double[] v, int n, double result, double[] dv) => dv;
            }
            """);

        AssertSingleTransformDiagnostic(source, "NormJvp", "DSL0210", "'static double NormJvp(double[] v, int n, double result, double[] dv)'", "[CustomJvp]", "'Norm'");
    }

    /// <summary>A rule for a function that is not [Differentiable]; the [Grad] naming the function adds no DSL0205.</summary>
    [Fact]
    public void DSL0211_CustomRuleTarget()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                public static double Clip(double x) => x;

                [/*here*/CustomVjp(nameof(Clip))]
                public static double ClipVjp(double x, double result, double cotangent) => Math.Max(-1, Math.Min(1, cotangent));

                [Grad(nameof(Clip))] public static partial double DClip(double x);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DClip", "DSL0211", "[CustomVjp]", "'Clip'", "not a [Differentiable] function of 'Calculus'");
    }

    [Fact]
    public void DSL0211_CustomRuleTarget_ArrayResult()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable]
                public static double[] Twice(double[] x)
                {
                    var y = new double[x.Length];
                    for (int i = 0; i < x.Length; i++) y[i] = 2 * x[i];
                    return y;
                }

                [/*here*/CustomJvp(nameof(Twice))]
                public static double[] TwiceJvp(double[] x, double[] result, double[] dx) => dx;
            }
            """);

        AssertSingleTransformDiagnostic(source, "TwiceJvp", "DSL0211", "[CustomJvp]", "'Twice'", "'double[]'", "one scalar result");
    }

    /// <summary>Reported at the second rule; the first stays the function's rule in the message.</summary>
    [Fact]
    public void DSL0212_DuplicateCustomRule()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable] public static double Square(double x) => x * x;

                [CustomVjp(nameof(Square))]
                public static double SquareVjp(double x, double result, double cotangent) => 2 * x * cotangent;

                [/*here*/CustomVjp(nameof(Square))]
                public static double SquareVjpAgain(double x, double result, double cotangent) => 2 * x * cotangent;

                [Grad(nameof(Square))] public static partial double DSquare(double x);
            }
            """);

        AssertSingleTransformDiagnostic(source, "DSquare", "DSL0212", "'Square'", "[CustomVjp]", "'SquareVjp'");
    }

    /// <summary>Forward mode through a function with only a reverse rule, as JAX refuses custom_vjp under jvp.</summary>
    [Fact]
    public void DSL0213_ForwardModeNeedsCustomJvp()
    {
        var source = Functions("""
            public static partial class Calculus
            {
                [Differentiable] public static double SafeSqrt(double x) => Math.Sqrt(x);

                [CustomVjp(nameof(SafeSqrt))]
                public static double SafeSqrtVjp(double x, double result, double cotangent) => result > 0 ? cotangent / (2 * result) : 0;

                [Differentiable] public static double Energy(double x) => SafeSqrt(x) * x;

                [Jvp(nameof(Energy))] public static partial (double, double) /*here*/EnergyTangent(double x, double dx);
            }
            """);

        AssertSingleTransformDiagnostic(source, "EnergyTangent", "DSL0213", "Jacobian-vector product 'EnergyTangent'", "'SafeSqrt'", "[CustomJvp]");
    }

    // ---- Autodiff: the training step's loss and the parameters it trains ----

    /// <summary>The issue's case: 1 - accuracy builds, and every gradient would be exactly zero.</summary>
    [Fact]
    public void DSL0225_LossWithoutGradient()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y) => /*here*/1f - Accuracy(Forward(x), y);

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        Diagnostic d = AssertSingleDiagnostic(source, "DSL0225", "[TrainingStep] 'TrainingStep'", "no gradient with respect to any parameter",
            $"only through Accuracy (Model.cs:{source.Line}), which has no derivative", "CrossEntropy(logits, label)");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
    }

    /// <summary>A loss computed from the inputs alone: no parameter to differentiate, so also an error, at the 'return'.</summary>
    [Fact]
    public void DSL0225_LossWithoutGradient_NotComputedFromParameters()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Regressor
            {
                [Dense(3)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(3)] Tensor x) => Output(x);

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Tensor target)
                {
                    var prediction = Forward(x);
                    /*here*/return Mse(x, target);
                }

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0225", "'TrainingStep'", "it is not computed from any parameter");
    }

    /// <summary>
    /// The gradient also stops at an op it reaches that passes none on: which side a Where picks
    /// does not move with its condition, so a loss selected by the model's output alone trains nothing.
    /// </summary>
    [Fact]
    public void DSL0225_LossWithoutGradient_ThroughTheConditionOfWhere()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Gate
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x);

                [TrainingStep]
                public Tensor TrainingStep([Shape(10)] Tensor x, [Shape(2)] Tensor target)
                {
                    var picked = Where(Forward(x), target, 0f);
                    /*here*/return Sum(picked);
                }

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0225", "'TrainingStep'", $"only through the condition of Where (Model.cs:{source.Line - 1}), which has no derivative");
    }

    /// <summary>
    /// A layer the training step never reaches (here a head used only by [Forward]) is a warning
    /// naming the layer and its parameters, at the step's return; the model still compiles whole.
    /// </summary>
    [Fact]
    public void DSL0226_UntrainedLayer()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(8)] private partial Tensor Hidden(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);
                [Dense(2)] private partial Tensor Calibration(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Calibration(Output(Relu(Hidden(x))));

                [TrainingStep]
                public Tensor TrainingStep([Shape(10)] Tensor x, Label y) => /*here*/CrossEntropy(Output(Relu(Hidden(x))), y);

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        var result = Run(source);
        Diagnostic d = AssertSingle(result, source, "DSL0226", "Layer 'Calibration'", "[TrainingStep] 'TrainingStep'",
            "its parameters 'calibration.weight' and 'calibration.bias'", "the loss is not computed from it");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains(result.Run.GeneratedTrees, t => t.FilePath.EndsWith("Classifier.Cpu.g.cs", StringComparison.Ordinal));
        AssertNoPartialMethodCascade(result.CSharp);
        AssertNoCSharpErrorsIn(result.CSharp, FilePath);
    }

    /// <summary>
    /// A layer kept out of training on purpose: the project's NoWarn, as the DSL0226 page advises,
    /// silences the warning in a build.
    /// </summary>
    [Fact]
    public void DSL0226_UntrainedLayer_SilencedByNoWarn()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);
                [Dense(2)] private partial Tensor Calibration(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Calibration(Output(x));

                [TrainingStep]
                public Tensor TrainingStep([Shape(10)] Tensor x, Label y) => /*here*/CrossEntropy(Output(x), y);

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        ImmutableArray<Diagnostic> Build(Dictionary<string, ReportDiagnostic> options)
        {
            CSharpCompilation compilation = GeneratorHarness.Compilation(source.Text, FilePath);
            compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(options));
            GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out _, out ImmutableArray<Diagnostic> reported);
            return reported;
        }
        Assert.Contains(Build(new()), d => d.Id == "DSL0226");
        Assert.DoesNotContain(Build(new() { ["DSL0226"] = ReportDiagnostic.Suppress }), d => d.Id == "DSL0226");
    }

    /// <summary>
    /// A <c>#pragma warning disable</c> around the training step silences DSL0226 there, as it
    /// would a C# warning: the generator reports in the compilation's own syntax tree. Outside the
    /// pragma the warning stays.
    /// </summary>
    [Fact]
    public void DSL0226_UntrainedLayer_SilencedByPragma()
    {
        const string Model = """
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);
                [Dense(2)] private partial Tensor Calibration(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Calibration(Output(x));

            PRAGMA_DISABLE
                [TrainingStep]
                public Tensor TrainingStep([Shape(10)] Tensor x, Label y) => /*here*/CrossEntropy(Output(x), y);
            PRAGMA_RESTORE

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """;

        ImmutableArray<Diagnostic> Build(string disable, string restore)
        {
            string text = MarkedSource.Model(Model.Replace("PRAGMA_DISABLE", disable).Replace("PRAGMA_RESTORE", restore)).Text;
            CSharpCompilation compilation = GeneratorHarness.Compilation(text, FilePath);
            GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out _, out ImmutableArray<Diagnostic> reported);
            return reported;
        }
        // As for C# warnings, a pragma marks the diagnostic suppressed (the build prints only the others).
        Assert.Contains(Build("", ""), d => d.Id == "DSL0226" && !d.IsSuppressed);
        Assert.Contains(Build("#pragma warning disable DSL0226", "#pragma warning restore DSL0226"), d => d.Id == "DSL0226" && d.IsSuppressed);
        Assert.DoesNotContain(Build("#pragma warning disable DSL0226", "#pragma warning restore DSL0226"), d => d.Id == "DSL0226" && !d.IsSuppressed);
        Assert.Contains(Build("#pragma warning disable DSL0001", "#pragma warning restore DSL0001"), d => d.Id == "DSL0226" && !d.IsSuppressed);
    }

    /// <summary>
    /// Every model of the samples and the end-to-end tests ([Repeat] stacks, modules, dropout,
    /// attention, embeddings) trains every layer it has, so none gets DSL0225 or DSL0226, nor any
    /// other DSL diagnostic: a model a user copies must build without warnings. A file may silence
    /// one with a <c>#pragma</c> that says why (TinyGptTwoHeads leaves its second head untrained on
    /// purpose); the build prints no suppressed diagnostic, so neither does this test.
    /// </summary>
    [Theory]
    [MemberData(nameof(ModelFiles))]
    public void TheSamplesAndTestModelsTrainEveryLayerWithoutAWarning(string sourcePath)
    {
        string path = Path.Combine(RepositoryRoot(), sourcePath);
        CSharpCompilation compilation = GeneratorHarness.Compilation(File.ReadAllText(path), Path.GetFileName(path));
        GeneratorDriver driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out _, out ImmutableArray<Diagnostic> reported);
        GeneratorDriverRunResult run = driver.GetRunResult();
        AssertGeneratorDidNotThrow(run);
        var printed = reported.Where(d => !d.IsSuppressed).ToList();
        Assert.True(printed.Count == 0, $"{sourcePath}:\n" + Describe(printed));
        Assert.Contains(run.GeneratedTrees, t => t.FilePath.EndsWith(".Cpu.g.cs", StringComparison.Ordinal));
    }

    /// <summary>The files under samples/ and tests/Dsl.EndToEnd.Tests/ that declare a [Model].</summary>
    public static IEnumerable<object[]> ModelFiles()
    {
        string root = RepositoryRoot();
        return new[] { "samples", Path.Combine("tests", "Dsl.EndToEnd.Tests") }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !file.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(file => System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(file), @"^\s*\[Model[\](]", System.Text.RegularExpressions.RegexOptions.Multiline))
            .Select(file => new object[] { Path.GetRelativePath(root, file).Replace('\\', '/') })
            .OrderBy(file => (string)file[0], StringComparer.Ordinal);
    }

    /// <summary>A layer the loss reaches only through Accuracy trains no more than one it never reaches; the warning says where the gradient stops.</summary>
    [Fact]
    public void DSL0226_UntrainedLayer_OnlyThroughAccuracy()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);
                [Dense(2)] private partial Tensor Probe(Tensor x);

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => Output(x) + Probe(x);

                [TrainingStep]
                public Tensor TrainingStep([Shape(10)] Tensor x, Label y)
                {
                    var penalty = 1f - Accuracy(Probe(x), y);
                    /*here*/return CrossEntropy(Output(x), y) + penalty;
                }

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        Diagnostic d = AssertSingle(Run(source), source, "DSL0226", "Layer 'Probe'", "'probe.weight' and 'probe.bias'",
            $"only through Accuracy (Model.cs:{source.Line - 1}), which passes no gradient");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
    }
}
