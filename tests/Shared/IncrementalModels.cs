using System;
using System.Linq;

namespace Dsl.Tests.Shared;

/// <summary>
/// Sources and edits for the generator's incrementality tests and benchmarks (issue 21): a file
/// of ten small models, and edits that change one model's meaning or none.
/// </summary>
internal static class IncrementalModels
{
    /// <summary>The number of models in <see cref="TenModels"/>.</summary>
    public const int Count = 10;

    /// <summary>Ten MLP classifiers, <c>Model0</c> ... <c>Model9</c>, in one file, each with its own widths.</summary>
    public static string TenModels() =>
        "using Dsl;\nusing static Dsl.Ops;\n\nnamespace TenModels;\n\n// The file's header comment.\n"
        + string.Concat(Enumerable.Range(0, Count).Select(Model));

    /// <summary>
    /// Model <paramref name="index"/>'s forward pass with another activation: the same length, so
    /// no other model's text moves, but that model's meaning changes.
    /// </summary>
    public static string ChangeActivation(string source, int index) =>
        ReplaceOnce(source, ForwardLine(index), ForwardLine(index).Replace("Relu(", "Tanh(", StringComparison.Ordinal));

    /// <summary>
    /// Model <paramref name="index"/>'s metric renamed inside its [TrainingStep] body: that model's
    /// meaning changes and every offset after it moves (but no line).
    /// </summary>
    public static string RenameMetric(string source, int index) =>
        ReplaceOnce(source, $"Log(\"loss{index}\", loss);", $"Log(\"train_loss_of_model_{index}\", loss);");

    /// <summary>The file's header comment reworded (longer, same line): every model's offsets move, no meaning changes.</summary>
    public static string RewordHeaderComment(string source) =>
        ReplaceOnce(source, "// The file's header comment.", "// The file's header comment, reworded at some length in an editor.");

    private static string ForwardLine(int index) =>
        $"public Tensor Forward([Shape(10)] Tensor x) => Output{index}(Relu(Hidden{index}(x)));";

    private static string Model(int index) => $$"""

        /// <summary>Model {{index}}.</summary>
        [Model]
        public partial class Model{{index}}
        {
            [Dense({{8 + index}})] private partial Tensor Hidden{{index}}(Tensor x);
            [Dense(2)] private partial Tensor Output{{index}}(Tensor x);

            [Forward]
            {{ForwardLine(index)}}

            [TrainingStep]
            public Tensor TrainingStep(Tensor x, Label y)
            {
                var loss = CrossEntropy(Forward(x), y);
                Log("loss{{index}}", loss);
                return loss;
            }

            [Optimizer]
            private static Optimizer Optimizer() => new Adam(learningRate: 1e-3f);
        }

        """;

    private static string ReplaceOnce(string text, string oldValue, string newValue)
    {
        int at = text.IndexOf(oldValue, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(oldValue, at + 1, StringComparison.Ordinal) >= 0)
            throw new ArgumentException($"'{oldValue}' is not in the source exactly once.");
        return text.Substring(0, at) + newValue + text.Substring(at + oldValue.Length);
    }
}
