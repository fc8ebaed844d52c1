using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// The 1-D and adaptive pooling layers' bad input (issue 19), at the user's line and naming the
/// computed sizes: a window larger than the padded sequence, padding over half the kernel, a zero
/// stride, an output size of zero, and a sequence layer fed an image or an image layer a sequence.
/// </summary>
public partial class DiagnosticsTests
{
    [Fact]
    public void DSL0130_KernelLargerThanInput_MaxPool1dDilated()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [MaxPool1d(3, Dilation = 3)] private partial Tensor Pool(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(2, 6)] Tensor x) => Output(Flat(Pool(/*here*/x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0130", "reaches 7", "[2, 6]", "only 6");
    }

    [Fact]
    public void DSL0131_InvalidWindowArgument_AvgPool1dPaddingOverHalfTheKernel()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [/*here*/AvgPool1d(3, Padding = 2)] private partial Tensor Pool(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(1, 8)] Tensor x) => Output(Flat(Pool(x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0131", "Padding = 2", "[AvgPool1d] Pool", "at most half the kernel (1)");
    }

    [Fact]
    public void DSL0131_InvalidWindowArgument_MaxPool1dStrideZero()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [/*here*/MaxPool1d(2, Stride = 0)] private partial Tensor Pool(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(1, 8)] Tensor x) => Output(Flat(Pool(x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0131", "Stride = 0", "[MaxPool1d] Pool", "at least 1");
    }

    [Fact]
    public void DSL0006_InvalidDimension_AdaptiveMaxPool1dOutputZero()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [/*here*/AdaptiveMaxPool1d(0)] private partial Tensor Pool(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(1, 8)] Tensor x) => Output(Flat(Pool(x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0006", "Dimension 0", "[AdaptiveMaxPool1d] Pool");
    }

    [Fact]
    public void DSL0102_BadRank_AdaptiveAvgPool1dOfAnImage()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [AdaptiveAvgPool1d(2)] private partial Tensor Pool(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(2, 4, 4)] Tensor x) => Output(Flat(Pool(/*here*/x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0102", "AdaptiveAvgPool1d layer 'Pool'", "a sequence [C, L]", "[2, 4, 4]");
    }

    [Fact]
    public void DSL0102_BadRank_AdaptiveMaxPool2dOfASequence()
    {
        var source = MarkedSource.Model("""
            [Model]
            public partial class Classifier
            {
                [AdaptiveMaxPool2d(3)] private partial Tensor Pool(Tensor x);
                [Flatten] private partial Tensor Flat(Tensor x);
                [Dense(2)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(2, 8)] Tensor x) => Output(Flat(Pool(/*here*/x)));
            }
            """);

        AssertSingleDiagnostic(source, "DSL0102", "AdaptiveMaxPool2d layer 'Pool'", "an image [C, H, W]", "[2, 8]");
    }
}
