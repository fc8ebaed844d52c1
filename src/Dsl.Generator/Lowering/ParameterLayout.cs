using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;
using Dsl.Generator.Layers;

namespace Dsl.Generator.Lowering;

/// <summary>
/// One parameter's place in the flat buffer, with how it starts: <paramref name="Init"/> names a
/// <c>Dsl.ParameterInit</c> (PyTorch's default for the layer kind, see <see cref="LayerKind.Parameters"/>), <paramref name="FanIn"/> the
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
            foreach (LayerParameter parameter in layer.Parameters)
            {
                var slot = new ParameterSlot(layer.Layer.ParameterName + "." + parameter.Name, parameter.Shape, offset, parameter.FanIn, layer.Layer.MethodName, parameter.Init);
                slots.Add(slot);
                offset = checked(offset + slot.Length);
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
