using System;

namespace Dsl.Checkpoints;

/// <summary>Facts about <see cref="SafeTensorsDType"/> members: byte sizes, header names, kinds.</summary>
internal static class SafeTensorsDTypes
{
    /// <summary>Every supported header string, for "expected one of" messages.</summary>
    public static readonly string Supported = string.Join(", ", Enum.GetNames<SafeTensorsDType>());

    /// <summary>The number of bytes one element occupies.</summary>
    public static int SizeOf(SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.BOOL or SafeTensorsDType.U8 or SafeTensorsDType.I8 => 1,
        SafeTensorsDType.I16 or SafeTensorsDType.U16 or SafeTensorsDType.F16 or SafeTensorsDType.BF16 => 2,
        SafeTensorsDType.I32 or SafeTensorsDType.U32 or SafeTensorsDType.F32 => 4,
        SafeTensorsDType.F64 or SafeTensorsDType.I64 or SafeTensorsDType.U64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    /// <summary>True for the types <see cref="SafeTensor.ToFloats"/> converts.</summary>
    public static bool IsFloatingPoint(SafeTensorsDType dtype) =>
        dtype is SafeTensorsDType.F32 or SafeTensorsDType.F64 or SafeTensorsDType.F16 or SafeTensorsDType.BF16;

    /// <summary>
    /// Maps a header string to its dtype. Exact and case-sensitive, and unlike
    /// <see cref="Enum.TryParse{TEnum}(string, out TEnum)"/> it rejects numbers such as <c>"3"</c>.
    /// </summary>
    public static bool TryParse(string text, out SafeTensorsDType dtype)
    {
        foreach (SafeTensorsDType candidate in Enum.GetValues<SafeTensorsDType>())
        {
            if (string.Equals(candidate.ToString(), text, StringComparison.Ordinal))
            {
                dtype = candidate;
                return true;
            }
        }

        dtype = default;
        return false;
    }

    /// <summary>Formats a shape as <c>[16, 10]</c> (<c>[]</c> for a scalar).</summary>
    public static string FormatShape(ReadOnlySpan<int> shape)
    {
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++)
            parts[i] = shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "[" + string.Join(", ", parts) + "]";
    }
}
