using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Lowering;

/// <summary>One parameter's place in the flat buffer, with the fan-in its default init uses.</summary>
internal sealed record ParameterSlot(string Name, Shape Shape, int Offset, int FanIn, string Layer)
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

    public ParameterLayout(IEnumerable<ResolvedLayer> layers)
    {
        var slots = new List<ParameterSlot>();
        int offset = 0;
        foreach (ResolvedLayer layer in layers)
        {
            var weight = new ParameterSlot(layer.WeightName, Shape.Of(layer.Layer.OutFeatures, layer.InFeatures), offset, layer.InFeatures, layer.Layer.MethodName);
            slots.Add(weight);
            offset += weight.Length;
            if (layer.Layer.Bias)
            {
                var bias = new ParameterSlot(layer.BiasName, Shape.Of(layer.Layer.OutFeatures), offset, layer.InFeatures, layer.Layer.MethodName);
                slots.Add(bias);
                offset += bias.Length;
            }
        }
        Slots = slots;
        Count = offset;
        _byName = slots.ToDictionary(s => s.Name);
    }

    public IReadOnlyList<ParameterSlot> Slots { get; }

    /// <summary>The total number of floats.</summary>
    public int Count { get; }

    public ParameterSlot this[string name] => _byName[name];
}
