using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// Tuples of tensors beyond <c>TwoHeads</c>'s (whose output is pinned by its snapshot): a module
/// method and a model helper that return tuples, deconstructed by their callers, and a [Forward]
/// whose tuple is unnamed, so Predict's spans are <c>output1</c>, <c>output2</c>.
/// </summary>
public class MultipleOutputsGenerationTests
{
    private const string Source = MarkedSource.Usings + """
        [Module]
        public partial class Gate
        {
            [Dense(4)] private partial Tensor Proj(Tensor x);

            [Forward]
            public Tensor Forward(Tensor x)
            {
                var (gate, value) = Halves(x);
                return gate * value;
            }

            public (Tensor gate, Tensor value) Halves(Tensor x) => (Sigmoid(Proj(x)), Tanh(Proj(x)));
        }

        [Model]
        public partial class Net
        {
            private partial Gate First { get; }
            [Dense(2)] private partial Tensor Head(Tensor x);

            [Forward]
            public (Tensor, Tensor) Forward([Shape(6)] Tensor x, [Shape()] Tensor scale)
            {
                (Tensor g, _) = First.Halves(x);
                var (h, aux) = Mix(First.Forward(x), g);
                return (Head(h) * scale, aux);
            }

            private (Tensor mixed, Tensor gate) Mix(Tensor a, Tensor b) => (a + b, b);
        }
        """;

    [Fact]
    public void TuplesFromModuleMethodsAndHelpersDeconstructAndUnnamedOutputsAreNumbered()
    {
        var (run, csharp) = GeneratorHarness.Run(Source);
        DiagnosticsTests.AssertGeneratorDidNotThrow(run);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(csharp.Where(d => d.Severity == DiagnosticSeverity.Error));

        string model = run.Results[0].GeneratedSources.Single(s => s.HintName == "Samples.Net.Model.g.cs").SourceText.ToString();
        Assert.Contains("public void Predict(global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> scale, global::System.Span<float> output1, global::System.Span<float> output2)", model, StringComparison.Ordinal);
        Assert.Contains("Net (x [6], scale []) -> (output1 [2], output2 [4])", model, StringComparison.Ordinal);
        // The module's method and the model's helper are inlined with the module's parameters: one Dense in all.
        Assert.Contains("new(\"first.proj.weight\", new[] { 4, 6 }, FanIn: 6)", model, StringComparison.Ordinal);
    }
}
