using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// The refusals of multiple outputs, module methods besides [Forward] and per-example scalar
/// inputs (issue 22, items 4 and 5): each names the construct and what to write instead.
/// </summary>
public partial class DiagnosticsTests
{
    [Fact]
    public void DSL0012_BadMethodSignature_ForwardTupleOfNonTensors()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public (Tensor logits, float scale) /*here*/Forward([Shape(10)] Tensor x) => (Output(x), 2f);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0012", "'Forward'", "must return Tensor, or a tuple of Tensors", "'(Tensor logits, Tensor aux)'");
    }

    [Fact]
    public void DSL0012_BadMethodSignature_ForwardOutputNamedLikeAnInput()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public (Tensor logits, Tensor x) /*here*/Forward([Shape(10)] Tensor x) => (Output(x), x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0012", "'Forward'", "output 'x' like an input", "rename the tuple's element");
    }

    [Fact]
    public void DSL0005_UnsupportedSyntax_DeconstructionIntoAField()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                private Tensor _aux = Tensor.Scalar(0);

                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public (Tensor logits, Tensor aux) Forward([Shape(10)] Tensor x) => (Output(x), Relu(x));

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y)
                {
                    var logits = x;
                    (logits, /*here*/_aux) = Forward(x);
                    return CrossEntropy(logits, y);
                }

                [Optimizer]
                private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0005", "'_aux'", "'var (logits, aux) = Forward(x);'");
    }

    [Fact]
    public void DSL0004_UnsupportedCall_ModuleMethodTakingANumber()
    {
        var source = MarkedSource.Model("""
            [Module]
            public partial class Block
            {
                [Dense(10)] private partial Tensor Up(Tensor x);

                [Forward]
                public Tensor Forward(Tensor x) => x + Up(x);

                public Tensor Scaled(Tensor x, float k) => Up(x) * k;
            }

            [Model]
            public partial class Classifier
            {
                private partial Block First { get; }

                [Forward]
                public Tensor Forward([Shape(10)] Tensor x) => /*here*/First.Scaled(x, 2f);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0004", "'Block.Scaled", "takes Tensor, Label or Tokens");
    }

    [Fact]
    public void DSL0006_InvalidDimension_ScalarTokens()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Embedding(16, 4)] private partial Tensor Embed(Tokens ids);

                [Forward]
                public Tensor Forward([/*here*/Shape()] Tokens ids) => Embed(ids);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0006", "Tokens ids", "a sequence of T token ids", "Label");
    }

    [Fact]
    public void DSL0102_BadRank_DenseOfAPerExampleScalar()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape()] Tensor x) => Output(/*here*/x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0102", "'Output'", "shape []");
    }

    [Fact]
    public void DSL0102_BadRank_BatchNorm2dOfASequence()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [BatchNorm2d] private partial Tensor Norm(Tensor x);

                [Forward]
                public Tensor Forward([Shape(3, 5)] Tensor x) => Norm(/*here*/x);
            }
            """);

        AssertSingleDiagnostic(source, "DSL0102", "BatchNorm2d layer 'Norm'", "an image [C, H, W]", "shape [3, 5]");
    }
}
