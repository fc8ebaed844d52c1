namespace Dsl;

/// <summary>Where one parameter lives in a <see cref="ParameterStore"/>'s flat buffer.</summary>
/// <param name="Name">The dotted name (<c>hidden.weight</c>).</param>
/// <param name="Shape">The dimensions, outermost first.</param>
/// <param name="Offset">The index of the parameter's first float in <see cref="ParameterStore.Buffer"/>.</param>
/// <param name="Length">The number of floats (the product of <paramref name="Shape"/>).</param>
public sealed record ParameterInfo(string Name, int[] Shape, int Offset, int Length)
{
    /// <summary>A trainable parameter or a buffer (non-trainable state).</summary>
    public ParameterRole Role { get; init; } = ParameterRole.Parameter;

    /// <summary>Whether the optimizer trains it (not a buffer).</summary>
    public bool IsTrainable => Role == ParameterRole.Parameter;
}
