namespace Dsl;

/// <summary>The 4-byte element type a <see cref="DeviceBuffer"/> holds.</summary>
public enum DeviceElementType
{
    /// <summary>32-bit IEEE floats: activations, parameters, gradients.</summary>
    Float32,

    /// <summary>32-bit signed integers: labels and token ids.</summary>
    Int32,
}
