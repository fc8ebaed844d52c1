using Dsl.Generator.Specs;

namespace Dsl.Generator.Lowering;

/// <summary>
/// Where one module instance sits in the model: its parameters' prefix in PyTorch's names
/// (<c>blocks.0.</c>) and its path in the user's C# (<c>Blocks[0].</c>), for messages. The model
/// itself is <see cref="Root"/>, with both empty, so its own layers keep their names.
/// </summary>
internal sealed record ModuleInstance(string Prefix, string Path)
{
    public static readonly ModuleInstance Root = new("", "");

    /// <summary>The instance that <paramref name="child"/> holds, or module <paramref name="index"/> of a stack.</summary>
    public ModuleInstance Child(ChildSpec child, int? index) => index is { } i
        ? new(Prefix + child.ParameterName + "." + i + ".", Path + child.PropertyName + "[" + i + "].")
        : new(Prefix + child.ParameterName + ".", Path + child.PropertyName + ".");

    /// <summary>
    /// <paramref name="layer"/> as this instance owns it: named under the prefix. Every layer kind's
    /// parameters derive from <see cref="LayerSpec.ParameterName"/>, so this is all a module changes.
    /// </summary>
    public LayerSpec Place(LayerSpec layer) => Prefix.Length == 0
        ? layer
        : layer with { ParameterName = Prefix + layer.ParameterName, MethodName = Path + layer.MethodName };
}

/// <summary>A module instance as a value: the foreach variable over a stack.</summary>
internal sealed record ModuleValue(ModuleSpec Module, ModuleInstance Instance) : Value;
