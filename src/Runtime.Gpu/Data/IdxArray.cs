using System;
using System.IO;

namespace Dsl;

/// <summary>The contents of one IDX file: its element type, its dimensions and its values in row-major order.</summary>
public sealed class IdxArray
{
    private readonly int[] _dimensions;

    internal IdxArray(string source, IdxElementType elementType, int[] dimensions, Array data)
    {
        Source = source;
        ElementType = elementType;
        _dimensions = dimensions;
        Data = data;
    }

    /// <summary>The file's name, for messages.</summary>
    public string Source { get; }

    /// <summary>The element type the file declares.</summary>
    public IdxElementType ElementType { get; }

    /// <summary>The dimensions, outermost first (MNIST images: [60000, 28, 28]). A copy.</summary>
    public int[] Dimensions => (int[])_dimensions.Clone();

    /// <summary>The number of values: the product of the dimensions.</summary>
    public int Length => Data.Length;

    /// <summary>
    /// The values in the file's own type: a <see cref="byte"/>[] (UInt8), <see cref="sbyte"/>[],
    /// <see cref="short"/>[], <see cref="int"/>[], <see cref="float"/>[] or <see cref="double"/>[].
    /// </summary>
    public Array Data { get; }

    /// <summary>The values as floats, each multiplied by <paramref name="scale"/> (1/255f maps pixels to [0, 1]).</summary>
    /// <param name="scale">The factor.</param>
    /// <returns>A new array of <see cref="Length"/> floats.</returns>
    public float[] ToFloats(float scale = 1f)
    {
        float[] result = new float[Length];
        // Switch on the declared type, not Data's runtime type: the CLR lets an sbyte[] pass "is byte[]".
        switch (ElementType)
        {
            case IdxElementType.UInt8:
                byte[] bytes = (byte[])Data;
                for (int i = 0; i < result.Length; i++)
                    result[i] = bytes[i] * scale;
                break;
            case IdxElementType.Int8:
                sbyte[] sbytes = (sbyte[])Data;
                for (int i = 0; i < result.Length; i++)
                    result[i] = sbytes[i] * scale;
                break;
            case IdxElementType.Int16:
                short[] shorts = (short[])Data;
                for (int i = 0; i < result.Length; i++)
                    result[i] = shorts[i] * scale;
                break;
            case IdxElementType.Int32:
                int[] ints = (int[])Data;
                for (int i = 0; i < result.Length; i++)
                    result[i] = ints[i] * scale;
                break;
            case IdxElementType.Float32:
                float[] floats = (float[])Data;
                for (int i = 0; i < result.Length; i++)
                    result[i] = floats[i] * scale;
                break;
            default:
                double[] doubles = (double[])Data;
                for (int i = 0; i < result.Length; i++)
                    result[i] = (float)(doubles[i] * scale);
                break;
        }

        return result;
    }

    /// <summary>The values as 32-bit integers (labels).</summary>
    /// <returns>A new array of <see cref="Length"/> integers.</returns>
    /// <exception cref="InvalidDataException">A float value is not a whole number within the int range; the message names the file and element.</exception>
    public int[] ToInt32s()
    {
        int[] result = new int[Length];
        switch (ElementType)
        {
            case IdxElementType.UInt8:
                byte[] bytes = (byte[])Data;
                for (int i = 0; i < result.Length; i++)
                    result[i] = bytes[i];
                break;
            case IdxElementType.Int8:
                sbyte[] sbytes = (sbyte[])Data;
                for (int i = 0; i < result.Length; i++)
                    result[i] = sbytes[i];
                break;
            case IdxElementType.Int16:
                short[] shorts = (short[])Data;
                for (int i = 0; i < result.Length; i++)
                    result[i] = shorts[i];
                break;
            case IdxElementType.Int32:
                ((int[])Data).CopyTo(result, 0);
                break;
            default:
                for (int i = 0; i < result.Length; i++)
                {
                    double value = ElementType == IdxElementType.Float32 ? ((float[])Data)[i] : ((double[])Data)[i];
                    if (value != Math.Floor(value) || value < int.MinValue || value > int.MaxValue)
                        throw new InvalidDataException($"{Source}: element {i} is {value}, not an integer.");
                    result[i] = (int)value;
                }

                break;
        }

        return result;
    }
}
