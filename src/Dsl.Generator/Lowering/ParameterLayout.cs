using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Lowering;

/// <summary>
/// One parameter's place in the flat buffer, with how it starts: <paramref name="Init"/> names a
/// <c>Dsl.ParameterInit</c> (PyTorch's default for the layer kind), <paramref name="FanIn"/> the
/// bound of the uniform one.
/// </summary>
internal sealed record ParameterSlot(string Name, Shape Shape, int Offset, int FanIn, string Layer, string Init = "Uniform")
{
    public int Length => Shape.Size;
}

/// <summary>
/// The flat parameter buffer: layers in declaration order, each weight then bias, the order
/// PyTorch's <c>state_dict</c> registers them in.
/// </summary>
internal sealed class ParameterLayout
{
    private readonly Dictionary<string, ParameterSlot> _byName;

    /// <exception cref="System.OverflowException">The parameters do not fit one buffer indexed by int.</exception>
    public ParameterLayout(IEnumerable<ResolvedLayer> layers)
    {
        var slots = new List<ParameterSlot>();
        int offset = 0;
        foreach (ResolvedLayer layer in layers)
        {
            if (layer.Layer.Kind == LayerKind.MultiHeadAttention)
            {
                foreach (ParameterSlot slot in AttentionSlots(layer, offset))
                {
                    slots.Add(slot);
                    offset = checked(offset + slot.Length);
                }
                continue;
            }
            // nn.Linear: U(±1/√in) for both; nn.Embedding: N(0, 1); nn.LayerNorm: ones and zeros.
            (string weightInit, string biasInit) = layer.Layer.Kind switch
            {
                LayerKind.Embedding => ("Normal", ""),
                LayerKind.LayerNorm => ("Ones", "Zeros"),
                _ => ("Uniform", "Uniform"),
            };
            int fanIn = layer.Layer.Kind == LayerKind.Dense ? layer.InFeatures : 1;
            var weight = new ParameterSlot(layer.WeightName, layer.WeightShape, offset, fanIn, layer.Layer.MethodName, weightInit);
            slots.Add(weight);
            offset = checked(offset + weight.Length);
            if (layer.HasBias)
            {
                var bias = new ParameterSlot(layer.BiasName, layer.BiasShape, offset, fanIn, layer.Layer.MethodName, biasInit);
                slots.Add(bias);
                offset = checked(offset + bias.Length);
            }
        }
        Slots = slots;
        Count = offset;
        _byName = slots.ToDictionary(s => s.Name);
    }

    /// <summary>
    /// nn.MultiheadAttention's parameters in its state_dict order: the fused q, k, v projection
    /// (Xavier-uniform weight, zero bias) and the output projection (nn.Linear's weight, zero bias).
    /// </summary>
    private static IEnumerable<ParameterSlot> AttentionSlots(ResolvedLayer layer, int offset)
    {
        string prefix = layer.Layer.ParameterName, method = layer.Layer.MethodName;
        int d = layer.InFeatures;
        yield return new ParameterSlot(prefix + ".in_proj_weight", Shape.Of(checked(3 * d), d), offset, d, method, "XavierUniform");
        yield return new ParameterSlot(prefix + ".in_proj_bias", Shape.Of(3 * d), offset = checked(offset + 3 * d * d), d, method, "Zeros");
        yield return new ParameterSlot(prefix + ".out_proj.weight", Shape.Of(d, d), offset = checked(offset + 3 * d), d, method);
        yield return new ParameterSlot(prefix + ".out_proj.bias", Shape.Of(d), checked(offset + d * d), d, method, "Zeros");
    }

    public IReadOnlyList<ParameterSlot> Slots { get; }

    /// <summary>The total number of floats.</summary>
    public int Count { get; }

    public ParameterSlot this[string name] => _byName[name];
}
