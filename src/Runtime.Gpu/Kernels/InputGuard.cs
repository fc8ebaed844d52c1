using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dsl.Kernels;

/// <summary>
/// Copies user inputs into a program's buffers while checking them, so that a NaN, an infinity
/// or a bad label is reported at the call with the example and element it sits in, instead of
/// surfacing steps later as a NaN loss.
/// </summary>
public static class InputGuard
{
    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="destination"/> and checks that every
    /// value is finite.
    /// </summary>
    /// <param name="source">The user's batched input, examples back to back.</param>
    /// <param name="destination">At least as long as <paramref name="source"/>.</param>
    /// <param name="tensor">The input's name, for the message.</param>
    /// <param name="exampleSize">Floats per example, to turn a position into (example, element).</param>
    /// <exception cref="InvalidInputException">A value is NaN or infinite; the message names the tensor, example, element and value.</exception>
    public static void CopyChecked(ReadOnlySpan<float> source, Span<float> destination, string tensor, int exampleSize)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException($"The destination has {destination.Length} floats but '{tensor}' has {source.Length}.", nameof(destination));
        CheckFinite(source, tensor, exampleSize);
        source.CopyTo(destination);
    }

    /// <summary>
    /// Checks that every value of a batched input is finite, for a program that then reads the
    /// caller's span in place (its GEMMs and row kernels take spans) instead of a copy.
    /// </summary>
    /// <param name="source">The user's batched input, examples back to back.</param>
    /// <param name="tensor">The input's name, for the message.</param>
    /// <param name="exampleSize">Floats per example, to report which example is bad.</param>
    /// <exception cref="InvalidInputException">A value is NaN or infinite; the message names the example and element.</exception>
    public static void CheckFinite(ReadOnlySpan<float> source, string tensor, int exampleSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(exampleSize, 1);
        int bad = IndexOfNonFinite(source);
        if (bad >= 0)
        {
            float value = source[bad];
            string text = float.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity";
            throw new InvalidInputException(
                $"Input '{tensor}' has {text} at example {bad / exampleSize}, element {bad % exampleSize}; inputs must be finite.", tensor, bad / exampleSize);
        }
    }

    /// <summary>
    /// Copies class labels into <paramref name="destination"/> and checks that each lies in
    /// [0, <paramref name="classes"/>).
    /// </summary>
    /// <param name="source">One label per example.</param>
    /// <param name="destination">At least as long as <paramref name="source"/>.</param>
    /// <param name="tensor">The input's name, for the message.</param>
    /// <param name="classes">The number of classes.</param>
    /// <exception cref="InvalidInputException">A label is outside [0, classes); the message names the example and the label.</exception>
    public static void CopyLabels(ReadOnlySpan<int> source, Span<int> destination, string tensor, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (destination.Length < source.Length)
            throw new ArgumentException($"The destination has {destination.Length} values but '{tensor}' has {source.Length}.", nameof(destination));

        for (int i = 0; i < source.Length; i++)
        {
            // One unsigned comparison covers both label < 0 and label >= classes.
            if ((uint)source[i] >= (uint)classes)
            {
                throw new InvalidInputException(
                    $"Input '{tensor}' has label {source[i]} at example {i}; labels must lie in [0, {classes}).", tensor, i);
            }
        }

        source.CopyTo(destination);
    }

    /// <summary>
    /// Copies token ids, <paramref name="length"/> per example, into <paramref name="destination"/>
    /// and checks that each lies in [0, <paramref name="vocabulary"/>).
    /// </summary>
    /// <param name="source">The ids, [B, length] row-major.</param>
    /// <param name="destination">At least as long as <paramref name="source"/>.</param>
    /// <param name="tensor">The input's name, for the message.</param>
    /// <param name="vocabulary">The number of ids the model knows (its embedding's rows, its logits' classes).</param>
    /// <param name="length">The positions per example, T.</param>
    /// <exception cref="InvalidInputException">An id is outside [0, vocabulary); the message names the value, the example and the position.</exception>
    public static void CopyTokens(ReadOnlySpan<int> source, Span<int> destination, string tensor, int vocabulary, int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (destination.Length < source.Length)
            throw new ArgumentException($"The destination has {destination.Length} values but '{tensor}' has {source.Length}.", nameof(destination));

        for (int i = 0; i < source.Length; i++)
        {
            if ((uint)source[i] >= (uint)vocabulary)
            {
                throw new InvalidInputException(
                    $"Input '{tensor}' has token id {source[i]} at example {i / length}, position {i % length}; ids must lie in [0, {vocabulary}).", tensor, i / length);
            }
        }

        source.CopyTo(destination);
    }

    /// <summary>The index of the first NaN or infinity, or -1.</summary>
    internal static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        // A float is finite exactly when its exponent bits are not all ones; test whole vectors
        // first and only look for the position once a vector fails.
        ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(values);
        const uint ExponentMask = 0x7F80_0000;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<uint> mask = Vector512.Create(ExponentMask);
            for (; i <= bits.Length - Vector512<uint>.Count; i += Vector512<uint>.Count)
            {
                if (Vector512.EqualsAny(Vector512.Create(bits.Slice(i, Vector512<uint>.Count)) & mask, mask))
                    break;
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<uint> mask = Vector256.Create(ExponentMask);
            for (; i <= bits.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
            {
                if (Vector256.EqualsAny(Vector256.Create(bits.Slice(i, Vector256<uint>.Count)) & mask, mask))
                    break;
            }
        }

        for (; i < bits.Length; i++)
        {
            if ((bits[i] & ExponentMask) == ExponentMask)
                return i;
        }

        return -1;
    }
}
