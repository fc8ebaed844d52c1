using System;

namespace Dsl;

/// <summary>
/// Declares a fully connected layer, like <c>torch.nn.Linear</c>: <c>y = W x + b</c>, with the
/// weight <c>W</c> of shape <c>[out, in]</c> (PyTorch's layout) and the bias <c>b</c> of shape
/// <c>[out]</c>. The number of input features is inferred from the argument at the call site.
/// Parameters are named like PyTorch's <c>state_dict</c>: <c>hidden.weight</c>, <c>hidden.bias</c>.
/// </summary>
/// <example>
/// <code>
/// [Dense(16)]               private partial Tensor Hidden(Tensor x);
/// [Dense(2, Bias = false)]  private partial Tensor Output(Tensor x);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>Creates the attribute for a layer with <paramref name="outFeatures"/> outputs.</summary>
    /// <param name="outFeatures">The number of output features (rows of the weight).</param>
    public DenseAttribute(int outFeatures)
    {
        // Not validated here: the generator reports a non-positive size as a compile error at the
        // user's line, which is more useful than an exception from reflection.
        OutFeatures = outFeatures;
    }

    /// <summary>The number of output features: the weight has shape <c>[OutFeatures, in]</c>.</summary>
    public int OutFeatures { get; }

    /// <summary>Whether the layer adds a learned bias of shape <c>[OutFeatures]</c>; default <see langword="true"/>.</summary>
    public bool Bias { get; set; } = true;
}
