namespace Dsl;

/// <summary>
/// The element types of the safetensors format. Each member's name is exactly the string the
/// format's JSON header uses (<c>"F32"</c>, <c>"BF16"</c>, ...), so <c>ToString()</c> gives the
/// header text.
/// </summary>
public enum SafeTensorsDType
{
    /// <summary>Boolean, one byte per element (0 or 1).</summary>
    BOOL,

    /// <summary>Unsigned 8-bit integer.</summary>
    U8,

    /// <summary>Signed 8-bit integer.</summary>
    I8,

    /// <summary>Signed 16-bit integer.</summary>
    I16,

    /// <summary>Unsigned 16-bit integer.</summary>
    U16,

    /// <summary>IEEE 754 half precision (binary16).</summary>
    F16,

    /// <summary>bfloat16: the upper 16 bits of an IEEE 754 single.</summary>
    BF16,

    /// <summary>Signed 32-bit integer.</summary>
    I32,

    /// <summary>Unsigned 32-bit integer.</summary>
    U32,

    /// <summary>IEEE 754 single precision.</summary>
    F32,

    /// <summary>IEEE 754 double precision.</summary>
    F64,

    /// <summary>Signed 64-bit integer.</summary>
    I64,

    /// <summary>Unsigned 64-bit integer.</summary>
    U64,
}
