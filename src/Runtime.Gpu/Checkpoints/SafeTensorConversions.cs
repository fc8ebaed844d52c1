using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Dsl.Checkpoints;

/// <summary>Decodes the little-endian element bytes of a <see cref="SafeTensor"/>.</summary>
internal static class SafeTensorConversions
{
    /// <summary>Throws the message every float accessor gives for a non-float tensor.</summary>
    public static void RequireFloatingPoint(SafeTensor tensor)
    {
        if (!SafeTensorsDTypes.IsFloatingPoint(tensor.DType))
            throw new InvalidOperationException($"Tensor '{tensor.Name}' has dtype {tensor.DType}; only F32, F64, F16 and BF16 tensors convert to float.");
    }

    /// <summary>Converts <paramref name="bytes"/> of a floating-point dtype into <paramref name="destination"/>.</summary>
    public static void ToFloats(SafeTensorsDType dtype, ReadOnlySpan<byte> bytes, Span<float> destination)
    {
        switch (dtype)
        {
            case SafeTensorsDType.F32 when BitConverter.IsLittleEndian:
                // The file's byte order is the machine's: a plain copy is bit-exact.
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
                break;
            case SafeTensorsDType.F32:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4));
                break;
            case SafeTensorsDType.F64:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(i * 8));
                break;
            case SafeTensorsDType.F16:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.Slice(i * 2));
                break;
            case SafeTensorsDType.BF16:
                // bfloat16 is the top half of a float32, so widening is a shift, exact for every value.
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(i * 2)) << 16);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a floating-point dtype.");
        }
    }

    /// <summary>Converts an integer or BOOL tensor's bytes into <paramref name="destination"/>.</summary>
    public static void ToInt64s(SafeTensor tensor, Span<long> destination)
    {
        ReadOnlySpan<byte> bytes = tensor.Data.Span;
        switch (tensor.DType)
        {
            case SafeTensorsDType.BOOL:
            case SafeTensorsDType.U8:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = bytes[i];
                break;
            case SafeTensorsDType.I8:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = (sbyte)bytes[i];
                break;
            case SafeTensorsDType.I16:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.Slice(i * 2));
                break;
            case SafeTensorsDType.U16:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(i * 2));
                break;
            case SafeTensorsDType.I32:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(i * 4));
                break;
            case SafeTensorsDType.U32:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(i * 4));
                break;
            case SafeTensorsDType.I64:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(i * 8));
                break;
            case SafeTensorsDType.U64:
                for (int i = 0; i < destination.Length; i++)
                {
                    ulong value = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(i * 8));
                    if (value > long.MaxValue)
                        throw new InvalidOperationException($"Tensor '{tensor.Name}' (U64) element {i} is {value}, larger than a long holds.");
                    destination[i] = (long)value;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tensor), tensor.DType, "Not an integer dtype.");
        }
    }
}
