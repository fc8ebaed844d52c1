using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// The generated <c>ExportOnnx</c> of a [Forward] that uses an op with no ONNX rule: the model still
/// compiles (training does not need the export), and <c>ExportOnnx</c> throws, before touching the
/// file, naming each such op and its line.
/// </summary>
public class OnnxExportEmitterTests
{
    [Fact]
    public void AForwardWithALossExportsAsANotSupportedExceptionNamingTheOpAndItsLine()
    {
        const string source = MarkedSource.Usings + """
            [Model]
            public partial class Scorer
            {
                [Dense(3)] private partial Tensor Output(Tensor x);

                [Forward]
                public Tensor Forward([Shape(4)] Tensor x, Label y) => CrossEntropy(Output(x), y);

                [TrainingStep]
                public Tensor TrainingStep(Tensor x, Label y) => Forward(x, y);

                [Optimizer]
                private static Optimizer Optimizer() => new Sgd(0.1f);
            }
            """;
        (GeneratorDriverRunResult run, var diagnostics) = GeneratorHarness.Run(source);

        Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        string onnx = run.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith(".Onnx.g.cs")).SourceText.ToString();
        int line = source.Split('\n').ToList().FindIndex(l => l.Contains("CrossEntropy(Output(x), y)")) + 1;
        Assert.Contains("public void ExportOnnx(string path) => throw new global::System.NotSupportedException(", onnx);
        Assert.Contains($"Scorer.Forward cannot be exported to ONNX: it uses CrossEntropy (Model.cs:{line}), which has no ONNX mapping", onnx);
        Assert.DoesNotContain("OnnxExporter.Export", onnx);
    }
}
