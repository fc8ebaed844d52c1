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
}
