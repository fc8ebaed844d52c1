using Dsl;

namespace Gpt;

/// <summary>
/// The one place that names the sample's model class: switching to the GPT (once attention and
/// modules are in the generator) is renaming <c>Model/Gpt.cs.pending</c> to <c>Gpt.cs</c>, deleting
/// <c>BagLm.cs</c> and changing the two lines below from <c>BagLm</c> to <c>Gpt</c>.
/// </summary>
internal static class SampleModel
{
    /// <summary>The tokens the model reads at once (its positional table's length).</summary>
    public const int Context = BagLm.Context;

    /// <summary>
    /// The learning rate the model's <c>[Optimizer]</c> reads when a program is compiled (set from
    /// <c>--lr</c> before training starts).
    /// </summary>
    public static float LearningRate { get; set; } = 1e-3f;

    /// <summary>A freshly initialised model.</summary>
    /// <param name="seed">Seeds the parameters.</param>
    /// <returns>The model.</returns>
    public static ITrainableModel Create(int seed) => new BagLm(seed);
}
