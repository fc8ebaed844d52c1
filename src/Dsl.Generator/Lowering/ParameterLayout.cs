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
internal sealed record ParameterSlot(string Name, Shape Shape, int Offset, int FanIn, string Layer, string Init = "Uniform", string Role = LayerParameter.Trainable)
{
    public int Length => Shape.Size;

    /// <summary>Whether the optimizer trains it (not a buffer).</summary>
    public bool IsTrainable => Role == LayerParameter.Trainable;
}

/// <summary>
/// The flat parameter buffer: layers in declaration order, each weight then bias, the order
/// PyTorch's <c>state_dict</c> registers them in; then the buffers (BatchNorm's running statistics),
/// after every trainable parameter, so that the gradients and the optimizer cover one prefix.
/// </summary>
internal sealed class ParameterLayout
{
    private readonly Dictionary<string, ParameterSlot> _byName;

    /// <exception cref="System.OverflowException">The parameters do not fit one buffer indexed by int.</exception>
    public ParameterLayout(IEnumerable<ResolvedLayer> layers)
    {
        var slots = new List<ParameterSlot>();
        var buffers = new List<ParameterSlot>();
        int offset = 0;
        var owned = layers.SelectMany(l => l.Parameters.Select(p => (Layer: l, Parameter: p))).ToList();
        foreach (var (layer, parameter) in owned.Where(o => o.Parameter.IsTrainable).Concat(owned.Where(o => !o.Parameter.IsTrainable)))
        {
            var slot = new ParameterSlot(layer.Layer.ParameterName + "." + parameter.Name, parameter.Shape, offset, parameter.FanIn, layer.Layer.MethodName, parameter.Init, parameter.Role);
            (slot.IsTrainable ? slots : buffers).Add(slot);
            offset = checked(offset + slot.Length);
        }
        Slots = slots;
        Buffers = buffers;
        Count = slots.Sum(s => s.Length);
        TotalCount = offset;
        _byName = slots.Concat(buffers).ToDictionary(s => s.Name);
    }

    /// <summary>The trainable parameters, in buffer order.</summary>
    public IReadOnlyList<ParameterSlot> Slots { get; }

    /// <summary>The buffers (non-trainable state), after every parameter.</summary>
    public IReadOnlyList<ParameterSlot> Buffers { get; }

    /// <summary>The number of trainable floats: the gradients' and the optimizer's length.</summary>
    public int Count { get; }

    /// <summary>The number of floats in the store, buffers included.</summary>
    public int TotalCount { get; }

    /// <summary>The number of floats of the buffers.</summary>
    public int BufferCount => TotalCount - Count;

    /// <summary>A parameter or a buffer by its full name.</summary>
    public ParameterSlot this[string name] => _byName[name];
}
