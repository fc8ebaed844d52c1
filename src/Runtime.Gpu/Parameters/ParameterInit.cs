namespace Dsl;

/// <summary>How a parameter's initial values are drawn (PyTorch's defaults for each layer kind).</summary>
public enum ParameterInit
{
    /// <summary>
    /// U(-1/sqrt(fanIn), +1/sqrt(fanIn)): <c>nn.Linear</c>'s default for both weight and bias
    /// (<c>kaiming_uniform_(a=sqrt(5))</c> reduces to exactly this bound).
    /// </summary>
    Uniform,

    /// <summary>All zeros (e.g. <c>nn.LayerNorm</c>'s bias).</summary>
    Zeros,

    /// <summary>All ones (e.g. <c>nn.LayerNorm</c>'s weight).</summary>
    Ones,

    /// <summary>Standard normal N(0, 1) (<c>nn.Embedding</c>'s default).</summary>
    Normal,

    /// <summary>
    /// U(-a, a) with a = sqrt(6 / (fan_in + fan_out)), fan_in = shape[1]·r and fan_out = shape[0]·r
    /// (r the product of the other axes): <c>xavier_uniform_</c>, <c>nn.MultiheadAttention</c>'s
    /// in_proj_weight. Needs a shape of rank 2 or more.
    /// </summary>
    XavierUniform,
}
