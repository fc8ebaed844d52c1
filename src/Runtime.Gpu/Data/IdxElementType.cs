namespace Dsl;

/// <summary>The element types of the IDX format (LeCun's MNIST files), by their type code.</summary>
public enum IdxElementType : byte
{
    /// <summary>Unsigned byte (code 0x08): MNIST's pixels and labels.</summary>
    UInt8 = 0x08,

    /// <summary>Signed byte (code 0x09).</summary>
    Int8 = 0x09,

    /// <summary>Big-endian 16-bit integer (code 0x0B).</summary>
    Int16 = 0x0B,

    /// <summary>Big-endian 32-bit integer (code 0x0C).</summary>
    Int32 = 0x0C,

    /// <summary>Big-endian 32-bit float (code 0x0D).</summary>
    Float32 = 0x0D,

    /// <summary>Big-endian 64-bit float (code 0x0E).</summary>
    Float64 = 0x0E,
}
