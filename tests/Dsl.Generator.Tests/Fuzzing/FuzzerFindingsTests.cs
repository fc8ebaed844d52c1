using Xunit;

namespace Dsl.Generator.Tests.Fuzzing;

/// <summary>
/// One model per class of failure the mutation fuzzer found (issue 15, item 9): each crashed the
/// generator or was accepted and generated code that did not compile. Each must now be either
/// rejected with a DSL diagnostic or compiled.
/// </summary>
public class FuzzerFindingsTests
{
    private const string Usings = MarkedSource.Usings;

    [Fact]
    public void TrainingStepNamedLikeALayer() => AssertHandled(Usings + """
        [Model]
        public partial class Classifier
        {
            [Dense(16)] private partial Tensor Hidden(Tensor x);
            [Dense(2)] private partial Tensor Output(Tensor x);

            [Forward]
            public Tensor Forward([Shape(10)] Tensor x) => Output(Relu(Hidden(x)));

            [TrainingStep]
            public Tensor Hidden(Tensor x, Label y) => CrossEntropy(Forward(x), y);

            [Optimizer]
            private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
        }
        """);

    [Fact]
    public void TwoGradDeclarationsWithOneName() => AssertHandled("using System;\n" + Usings + """
        public static partial class Calculus
        {
            [Differentiable] public static double F(double x) => x * x + 2 * x + 1;
            [Grad(nameof(F))] public static partial double DF(double x);
            [Grad(nameof(F))] public static partial double DF(double x);
        }
        """);

    [Theory]
    [InlineData("Tensor x, Label", "Log(\"val_mean\", Mean(Forward(x)));")]
    [InlineData("Tensor x, Label", "Log(\"val_acc\", Accuracy(Forward(x), y));")]
    [InlineData("Tensor x, Tensor", "Log(\"val_mean\", Mean(Forward(x)));")]
    [InlineData("Tensor, Label y", "Log(\"val_acc\", Accuracy(Forward(x), y));")]
    [InlineData("Tensor x, Label, Label", "Log(\"val_mean\", Mean(Forward(x)));")]
    public void ValidationStepParameterWithoutAName(string parameters, string body) => AssertHandled(Usings + $$"""
        [Model]
        public partial class Classifier
        {
            [Dense(2)] private partial Tensor Output(Tensor x);

            [Forward]
            public Tensor Forward([Shape(10)] Tensor x) => Output(x);

            [TrainingStep]
            public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

            [ValidationStep]
            public void ValidationStep({{parameters}})
            {
                {{body}}
            }

            [Optimizer]
            private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
        }
        """);

    [Theory]
    [InlineData("p[2]")]
    [InlineData("p[-1]")]
    [InlineData("p[0 + 1]")]
    [InlineData("p[1.0]")]
    [InlineData("p[]")]
    [InlineData("p[0, 1]")]
    [InlineData("p[int.MaxValue]")]
    public void IndexTypoInAHessianSource(string index) => AssertHandled("using System;\n" + Usings + $$"""
        public static partial class Calculus
        {
            [Differentiable]
            public static double Rosenbrock(double[] p) => (1 - p[0]) * (1 - p[0]) + 100 * ({{index}} - p[0] * p[0]) * (p[1] - p[0] * p[0]);

            [Hessian(nameof(Rosenbrock))] public static partial double[,] RosenbrockHessian(double[] p);
        }
        """);

    [Theory]
    [InlineData("int.MaxValue", "10")]
    [InlineData("65536", "65536")]
    [InlineData("16", "int.MaxValue")]
    [InlineData("1000000", "1000000")]
    public void DenseWidthThatOverflows(string width, string inputWidth) => AssertHandled(Usings + $$"""
        [Model]
        public partial class Classifier
        {
            [Dense({{width}})] private partial Tensor Hidden(Tensor x);
            [Dense(2)] private partial Tensor Output(Tensor x);

            [Forward]
            public Tensor Forward([Shape({{inputWidth}})] Tensor x) => Output(Relu(Hidden(x)));

            [TrainingStep]
            public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

            [Optimizer]
            private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
        }
        """);

    [Theory]
    [InlineData("Forward", "TrainingStep", "ValidationStep", "Equals")]
    [InlineData("Forward", "TrainStep", "ValidationStep", "Optimizer")]
    [InlineData("Predict", "TrainingStep", "ValidationStep", "Optimizer")]
    [InlineData("Forward", "TrainingStep", "ValidateStep", "Optimizer")]
    [InlineData("Forward", "TrainingStep", "ValidationStep", "GetHashCode")]
    [InlineData("Forward", "TrainingStep", "ValidationStep", "ToString")]
    [InlineData("Parameters", "TrainingStep", "ValidationStep", "Optimizer")]
    [InlineData("Forward", "Dispose", "ValidationStep", "Optimizer")]
    public void EntryOrOptimizerNamedLikeAGeneratedMember(string forward, string training, string validation, string optimizer) =>
        AssertHandled(Usings + $$"""
            [Model]
            public partial class Classifier
            {
                [Dense(16)] private partial Tensor Hidden(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor {{forward}}([Shape(10)] Tensor x) => Output(Relu(Hidden(x)));

                [TrainingStep]
                public Tensor {{training}}(Tensor x, Label y) => CrossEntropy({{forward}}(x), y);

                [ValidationStep]
                public void {{validation}}(Tensor x, Label y) => Log("val_acc", Accuracy({{forward}}(x), y));

                [Optimizer]
                private static Optimizer {{optimizer}}() => new Adam(learningRate: 1e-3f);
            }
            """);

    /// <summary><c>oneHot * 0.9f</c> binds the pending input's shape to the scalar's: a scalar input, whose shape is an empty array.</summary>
    [Theory]
    [InlineData("return Mse(Forward(x), oneHot * 0.9f + 0.02f);")]
    [InlineData("return Mse(Forward(x), Forward(x) * (oneHot * 0.9f + 0.02f));")]
    [InlineData("return Mean(Forward(x)) * (oneHot * 0.9f + 0.02f);")]
    public void StepInputFirstUsedWithAScalar(string body) => AssertHandled(Usings + $$"""
        [Model]
        public partial class Regressor
        {
            [Dense(3)] private partial Tensor Decode(Tensor x);

            [Forward]
            public Tensor Forward([Shape(5)] Tensor x) => Decode(x);

            [TrainingStep]
            public Tensor TrainingStep(Tensor x, Tensor oneHot)
            {
                {{body}}
            }

            [Optimizer]
            private static Optimizer Optimizer() => new Sgd(learningRate: 0.1f);
        }
        """);

    // ---- Found by the fuzzer in this suite's own runs ----

    [Fact]
    public void LayerDeclaredWithoutAccessibility() => AssertHandled(Usings + """
        [Model]
        public partial class Classifier
        {
            [Dense(2)] partial Tensor Output(Tensor x);

            [Forward]
            public Tensor Forward([Shape(10)] Tensor x) => Output(x);
        }
        """);

    [Fact]
    public void NamespaceWithAnEmptyPart() => AssertHandled("""
        using Dsl;
        using static Dsl.Ops;

        namespace Samples..Models;

        [Model]
        public partial class Classifier
        {
            [Dense(2)] private partial Tensor Output(Tensor x);

            [Forward]
            public Tensor Forward([Shape(10)] Tensor x) => Output(x);
        }
        """);

    [Fact]
    public void ChildPropertyDeclaredTwice() => AssertHandled(Usings + """
        [Module]
        public partial class Block
        {
            [Dense(4)] private partial Tensor Up(Tensor x);

            [Forward]
            public Tensor Forward(Tensor x) => Relu(Up(x));
        }

        [Model]
        public partial class Classifier
        {
            private partial Block Encoder { get; }
            private partial Block Encoder { get; }

            [Forward]
            public Tensor Forward([Shape(10)] Tensor x) => Encoder.Forward(x);
        }
        """);

    [Fact]
    public void MethodNamedLikeTheModelClass() => AssertHandled(Usings + """
        [Model]
        public partial class Classifier
        {
            [Dense(2)] private partial Tensor Output(Tensor x);

            [Forward]
            public Tensor Forward([Shape(10)] Tensor x) => Output(x);

            [TrainingStep]
            public Tensor Classifier(Tensor x, Label y) => CrossEntropy(Forward(x), y);

            [Optimizer]
            private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
        }
        """);

    [Fact]
    public void TransformSignatureMissingAComma() => AssertHandled("using System;\n" + Usings + """
        public static partial class Calculus
        {
            [Differentiable] public static double Mse(double[] w, double b, double[] x, double[] y) => (w[0] * x[0] + b - y[0]) * (w[0] * x[0] + b - y[0]);

            [ValueAndGrad(nameof(Mse), WithRespectTo = "w, b")]
            public static partial (double Value, double[] W, double B) MseAndGrad(double[] w, double b, double[] x double[] y);
        }
        """);

    [Fact]
    public void BoolOperandInADifferentiableFunction() => AssertHandled("using System;\n" + Usings + """
        public static partial class Calculus
        {
            [Differentiable] public static double F(double x) => x / (1 == Math.Exp(-x));
            [Grad(nameof(F))] public static partial double DF(double x);
        }
        """);

    [Fact]
    public void InputShapeThatOverflows() => AssertHandled(Usings + """
        [Model]
        public partial class Tagger
        {
            [Dense(4)] private partial Tensor Output(Tensor x);

            [Forward]
            public Tensor Forward([Shape(int.MaxValue, 5)] Tensor x) => Output(x);
        }
        """);

    // A guard: the fuzzer's mutant (an operator swapped in Derivatives.LossWithMean) generated code
    // with CS0019, but this smaller model passes on the code before the fix too.
    [Fact]
    public void DifferentiableBodyWithACSharpError() => AssertHandled("using System;\n" + Usings + """
        public static partial class Calculus
        {
            [Differentiable]
            public static double L(double[] w, double[] x)
            {
                double loss = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    double z = w[i] && x[i];
                    loss += z * z;
                }
                return loss;
            }

            [Grad(nameof(L))] public static partial double[] G(double[] w, double[] x);
        }
        """);

    [Fact]
    public void OptimizerDeclaredTwice() => AssertHandled(Usings + """
        [Model]
        public partial class Classifier
        {
            [Dense(2)] private partial Tensor Output(Tensor x);

            [Forward]
            public Tensor Forward([Shape(10)] Tensor x) => Output(x);

            [TrainingStep]
            public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

            [Optimizer]
            private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            [Optimizer]
            private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
        }
        """);

    [Fact]
    public void HookOverloadingALayerName() => AssertHandled(Usings + """
        [Model]
        public partial class Classifier
        {
            [Dense(8)] private partial Tensor Hidden(Tensor x);
            [Dense(2)] private partial Tensor Output(Tensor x);

            [Forward]
            public Tensor Forward([Shape(10)] Tensor x) => Output(Tanh(Hidden(x)));

            [TrainingStep]
            public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

            [Optimizer]
            private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);

            public void Hidden(Trainer trainer) { }
        }
        """);

    [Fact]
    public void DerivedMethodOutsideAnyClass() => AssertHandled("using System;\n" + Usings + """
        public static partial class Calculus
            [Differentiable] public static double F(double x) => x * x;
            [Grad(nameof(F))] public static partial double DF(double x);
        }
        """);

    [Fact]
    public void DerivedMethodWithoutAccessibility() => AssertHandled("using System;\n" + Usings + """
        public static partial class Calculus
        {
            [Differentiable] public static double F(double x) => x * x;
            [Grad(nameof(F))] static partial double DF(double x);
        }
        """);

    [Fact]
    public void GradOfAGradOfAVectorValuedGrad() => AssertHandled("using System;\n" + Usings + """
        public static partial class Calculus
        {
            [Differentiable]
            public static double L(double[] w, double[] x)
            {
                double z = 0;
                for (int i = 0; i < w.Length; i++)
                    z += w[i] * x[i];
                return z * z;
            }

            [Grad(nameof(L))] public static partial double[] G(double[] w, double[] x);
            [Grad(nameof(G))] public static partial double H(double x);
            [Grad(nameof(H))] public static partial double K(double x);
        }
        """);

    private static void AssertHandled(string source)
    {
        GeneratorVerdict verdict = GeneratorVerdict.Of(source);
        Assert.False(verdict.IsFailure, verdict.Kind + ": " + verdict.Detail);
    }
}
