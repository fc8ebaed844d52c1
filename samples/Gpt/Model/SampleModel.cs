using Dsl;

namespace Gpt;

/// <summary>
/// The one place that names the sample's model class (<see cref="Gpt"/>), so the data, training
/// and generation code reads only what this class says about it.
/// </summary>
internal static class SampleModel
{
    /// <summary>The tokens the model reads at once (its positional table's length).</summary>
    public const int Context = Gpt.Context;

    /// <summary>
    /// The learning rate the model's <c>[Optimizer]</c> reads when a program is compiled (set from
    /// <c>--lr</c> before training starts).
    /// </summary>
    public static float LearningRate { get; set; } = 1e-3f;

    /// <summary>A freshly initialised model.</summary>
    /// <param name="seed">Seeds the parameters.</param>
    /// <returns>The model.</returns>
    public static ITrainableModel Create(int seed) => new Gpt(seed);
}
