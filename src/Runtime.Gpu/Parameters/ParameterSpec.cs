namespace Dsl;

/// <summary>
/// Declares one parameter tensor of a model, as the generator emits it: its <c>state_dict</c>
/// style name (<c>hidden.weight</c>), its shape and the fan-in that sets its initial range.
/// </summary>
/// <param name="Name">The dotted name, unique within the model.</param>
/// <param name="Shape">The dimensions, outermost first (a Dense weight is <c>[out, in]</c> as in PyTorch).</param>
/// <param name="FanIn">The number of inputs feeding each output; the default initialisation draws from U(-1/sqrt(FanIn), +1/sqrt(FanIn)).</param>
public sealed record ParameterSpec(string Name, int[] Shape, int FanIn)
{
    /// <summary>How the initial values are drawn; <see cref="ParameterInit.Uniform"/> (PyTorch's <c>nn.Linear</c> default) unless set.</summary>
    public ParameterInit Init { get; init; } = ParameterInit.Uniform;

    /// <summary>A trainable parameter (the default) or a buffer; buffers follow every parameter in a store.</summary>
    public ParameterRole Role { get; init; } = ParameterRole.Parameter;
}
