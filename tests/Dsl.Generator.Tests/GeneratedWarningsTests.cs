using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// The generated programs compile without warnings, so a project that treats warnings as errors
/// can hold a model. A model with no [TrainingStep] used to get a <c>_seed</c> field that nothing
/// assigns (CS0649 on the device program, CS0169 on the CPU one).
/// </summary>
public class GeneratedWarningsTests
{
    [Fact]
    public void ModelWithoutATrainingStep_GeneratedCodeHasNoWarnings()
    {
        const string source = MarkedSource.Usings + """
            [Model]
            public partial class Scorer
            {
                [Dense(8)] private partial Tensor Hidden(Tensor x);
                [Dense(1)] private partial Tensor Score(Tensor x);

                [Forward]
                public Tensor Forward([Shape(4)] Tensor x) => Score(Relu(Hidden(x)) * 0.5f);
            }
            """;

        var (run, compilation) = GeneratorHarness.Run(source, "Scorer.cs");

        DiagnosticsTests.AssertGeneratorDidNotThrow(run);
        Assert.Empty(run.Diagnostics);
        var generated = compilation.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs") == true).ToList();
        Assert.True(generated.Count == 0, "Warnings in the generated code: " + string.Join("; ", generated));
    }

    /// <summary>
    /// A BatchNorm with neither affine parameters nor running statistics owns nothing: the model
    /// still compiles (its training step, Predict and eager body) without a diagnostic or a warning.
    /// </summary>
    [Fact]
    public void BatchNormWithNoParametersAndNoBuffers_GeneratedCodeHasNoWarnings()
    {
        const string source = MarkedSource.Usings + """
            [Model]
            public partial class Whitened
            {
                [BatchNorm1d(Affine = false, TrackRunningStats = false, Eps = 1e-3)] private partial Tensor Norm(Tensor x);
                [Dense(2)] private partial Tensor Score(Tensor x);

                [Forward]
                public Tensor Forward([Shape(4, 3)] Tensor x) => Score(Reshape(Norm(x), 12));

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

                [Optimizer]
                private static Optimizer Optimizer() => new Sgd(learningRate: 0.1f);
            }
            """;

        var (run, compilation) = GeneratorHarness.Run(source, "Whitened.cs");

        DiagnosticsTests.AssertGeneratorDidNotThrow(run);
        Assert.Empty(run.Diagnostics);
        var generated = compilation.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs") == true).ToList();
        Assert.True(generated.Count == 0, "Warnings in the generated code: " + string.Join("; ", generated));
    }
}
