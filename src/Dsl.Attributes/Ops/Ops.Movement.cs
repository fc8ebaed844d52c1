using System;
using System.Globalization;

namespace Dsl;

// Movement: the same elements in another arrangement (torch.transpose, torch.reshape, torch.cat,
// torch.split / torch.chunk). Axes are per-example axes (the batch the generator adds is never
// one) and may be negative, counting from the end as in torch. Compiled, the shapes are checked
// at compile time (DSL0108-DSL0110) and each op is one copy kernel.
public static partial class Ops
{
    /// <summary>The matrix transpose: swaps the last two axes (<c>x.transpose(-2, -1)</c>). Shape: <c>[..., m, n]</c> → <c>[..., n, m]</c>.</summary>
    /// <param name="x">A tensor of rank 2 or more.</param>
    /// <returns>A new tensor with the last two axes swapped.</returns>
    /// <exception cref="ArgumentException">x has rank below 2.</exception>
    public static Tensor Transpose(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 2)
        {
            throw new ArgumentException($"Transpose(x) swaps the last two axes and needs rank 2 or more; x is {x.ShapeText}.", nameof(x));
        }

        return Transpose(x, -2, -1);
    }

    /// <summary>torch.transpose: axes <paramref name="dim0"/> and <paramref name="dim1"/> swapped.</summary>
    /// <param name="x">The input.</param>
    /// <param name="dim0">One axis, from the front (0, 1, …) or the end (−1, −2, …).</param>
    /// <param name="dim1">The other axis.</param>
    /// <returns>A new tensor of x's shape with the two axes' lengths (and elements) swapped.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An axis is outside [−rank, rank).</exception>
    public static Tensor Transpose(Tensor x, int dim0, int dim1)
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = Axis(x, dim0, nameof(dim0), "Transpose"), b = Axis(x, dim1, nameof(dim1), "Transpose");
        int[] shape = (int[])x.ShapeArray.Clone();
        (shape[a], shape[b]) = (shape[b], shape[a]);
        var result = new double[x.Length];
        int[] index = new int[x.Rank];
        for (int k = 0; k < result.Length; k++)
        {
            Unflatten(shape, k, index);
            (index[a], index[b]) = (index[b], index[a]);
            result[k] = x.DataArray[Flatten(x.ShapeArray, index)];
        }

        return Tensor.Create(shape, result);
    }

    /// <summary>torch.reshape: the same elements in the same (row-major) order under a new shape; one dimension may be −1, inferred.</summary>
    /// <param name="x">The input.</param>
    /// <param name="shape">The new shape, of x's element count.</param>
    /// <returns>A tensor of <paramref name="shape"/>.</returns>
    /// <exception cref="ArgumentException">The sizes disagree, two dimensions are −1, or a dimension is 0 or below −1.</exception>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        int[] resolved = ResolveShape(shape, x.Length) ?? throw new ArgumentException(
            $"Cannot reshape {x.ShapeText} ({x.Length} elements) to [{string.Join(", ", shape)}]: the sizes must agree, with at most one -1 inferred.", nameof(shape));
        return Tensor.Create(resolved, (double[])x.DataArray.Clone());
    }

    /// <summary>torch.cat: the parts joined along <paramref name="axis"/>; they agree on every other axis.</summary>
    /// <param name="axis">The axis to join along, from the front or (negative) the end.</param>
    /// <param name="parts">One or more tensors of one rank.</param>
    /// <returns>A tensor whose <paramref name="axis"/> is the parts' lengths summed.</returns>
    /// <exception cref="ArgumentException">No parts, or parts whose ranks or other axes disagree.</exception>
    public static Tensor Concat(int axis, params Tensor[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0)
        {
            throw new ArgumentException("Concat needs at least one part.", nameof(parts));
        }

        Tensor first = parts[0];
        ArgumentNullException.ThrowIfNull(first, nameof(parts));
        int a = Axis(first, axis, nameof(axis), "Concat");
        int[] shape = (int[])first.ShapeArray.Clone();
        shape[a] = 0;
        foreach (Tensor part in parts)
        {
            ArgumentNullException.ThrowIfNull(part, nameof(parts));
            bool agrees = part.Rank == first.Rank;
            for (int d = 0; agrees && d < first.Rank; d++)
            {
                agrees = d == a || part.ShapeArray[d] == first.ShapeArray[d];
            }

            if (!agrees)
            {
                throw new ArgumentException($"Concat along axis {axis}: a part of {part.ShapeText} does not match the first part's {first.ShapeText} on the other axes.", nameof(parts));
            }

            shape[a] += part.ShapeArray[a];
        }

        var result = new double[Product(shape)];
        int[] index = new int[shape.Length];
        for (int k = 0; k < result.Length; k++)
        {
            Unflatten(shape, k, index);
            foreach (Tensor part in parts)
            {
                if (index[a] < part.ShapeArray[a])
                {
                    result[k] = part.DataArray[Flatten(part.ShapeArray, index)];
                    break;
                }

                index[a] -= part.ShapeArray[a];
            }
        }

        return Tensor.Create(shape, result);
    }

    /// <summary>torch.cat(parts, axis): <see cref="Concat"/> in torch's argument order, <c>Cat([a, b], 1)</c>.</summary>
    /// <param name="parts">One or more tensors of one rank.</param>
    /// <param name="axis">The axis to join along, from the front or (negative) the end; 0 unless given.</param>
    /// <returns>A tensor whose <paramref name="axis"/> is the parts' lengths summed.</returns>
    /// <exception cref="ArgumentException">No parts, or parts whose ranks or other axes disagree.</exception>
    public static Tensor Cat(Tensor[] parts, int axis = 0) => Concat(axis, parts);

    /// <summary>
    /// torch.stack(parts, axis): parts of one shape joined along a new axis, which counts in the
    /// result: two [3, 4] stacked on axis 1 give [3, 2, 4].
    /// </summary>
    /// <param name="parts">One or more tensors of one shape.</param>
    /// <param name="axis">Where the new axis goes in the result, from −(rank + 1) to rank; 0 unless given.</param>
    /// <returns>A tensor of rank one more than the parts'.</returns>
    /// <exception cref="ArgumentException">No parts, or parts of different shapes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range for the result.</exception>
    public static Tensor Stack(Tensor[] parts, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0)
        {
            throw new ArgumentException("Stack needs at least one part.", nameof(parts));
        }

        ArgumentNullException.ThrowIfNull(parts[0], nameof(parts));
        int[] shape = parts[0].ShapeArray;
        int rank = shape.Length + 1;
        if (axis < -rank || axis >= rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), axis, string.Create(CultureInfo.InvariantCulture,
                $"Axis {axis} of Stack is out of range for parts of {parts[0].ShapeText}: the stacked result's axes run from -{rank} to {rank - 1}."));
        }

        int a = axis < 0 ? axis + rank : axis;
        var widened = new int[rank];
        for (int d = 0, s = 0; d < rank; d++)
        {
            widened[d] = d == a ? 1 : shape[s++];
        }

        var reshaped = new Tensor[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(parts[i], nameof(parts));
            if (!parts[i].ShapeArray.AsSpan().SequenceEqual(shape))
            {
                throw new ArgumentException($"Stack: a part of {parts[i].ShapeText} does not match the first part's {parts[0].ShapeText}; every part must have one shape.", nameof(parts));
            }

            reshaped[i] = Reshape(parts[i], widened);
        }

        return Concat(a, reshaped);
    }

    /// <summary>
    /// torch.split with a size: consecutive parts of <paramref name="size"/> along <paramref name="axis"/>,
    /// the last one shorter when the axis does not divide. Index the result with constants
    /// (<c>var qkv = Split(x, d, -1); var q = qkv[0];</c>), which the compiler resolves at compile time.
    /// </summary>
    /// <param name="x">The input.</param>
    /// <param name="size">The length of each part along the axis, 1 or more.</param>
    /// <param name="axis">The axis to cut, 0 (torch's default) unless given.</param>
    /// <returns>The parts, in order.</returns>
    /// <exception cref="ArgumentOutOfRangeException">size is below 1, or the axis is out of range.</exception>
    public static Tensor[] Split(Tensor x, int size, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = Axis(x, axis, nameof(axis), "Split");
        if (size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "Split's part size must be 1 or more.");
        }

        int length = x.ShapeArray[a];
        var parts = new Tensor[(length + size - 1) / size];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = Narrow(x, a, i * size, Math.Min(size, length - (i * size)));
        }

        return parts;
    }

    /// <summary>torch.chunk: <paramref name="chunks"/> parts of ⌈n / chunks⌉ along the axis (fewer when they run out), indexed with constants as <see cref="Split"/>'s.</summary>
    /// <param name="x">The input.</param>
    /// <param name="chunks">How many parts, 1 or more.</param>
    /// <param name="axis">The axis to cut, 0 unless given.</param>
    /// <returns>The parts, in order.</returns>
    /// <exception cref="ArgumentOutOfRangeException">chunks is below 1, or the axis is out of range.</exception>
    public static Tensor[] Chunk(Tensor x, int chunks, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = Axis(x, axis, nameof(axis), "Chunk");
        if (chunks < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(chunks), chunks, "Chunk's count must be 1 or more.");
        }

        return Split(x, (x.ShapeArray[a] + chunks - 1) / chunks, axis);
    }

    /// <summary>
    /// The [n, n] causal mask: 1 where column ≤ row, 0 above the diagonal (torch.tril(torch.ones(n, n))),
    /// for <c>Where(CausalMask(n), scores, -1e9)</c>. Compiled, a constant fixed at compile time.
    /// </summary>
    /// <param name="n">The sequence length, 1 or more.</param>
    /// <returns>An [n, n] tensor of zeros and ones.</returns>
    /// <exception cref="ArgumentOutOfRangeException">n is below 1.</exception>
    public static Tensor CausalMask(int n)
    {
        if (n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "CausalMask's length must be 1 or more.");
        }

        var mask = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                mask[(i * n) + j] = 1;
            }
        }

        return Tensor.Create(new[] { n, n }, mask);
    }

    /// <summary>Elements [start, start + length) of axis a (a resolved), as torch.narrow.</summary>
    private static Tensor Narrow(Tensor x, int a, int start, int length)
    {
        int[] shape = (int[])x.ShapeArray.Clone();
        shape[a] = length;
        var result = new double[Product(shape)];
        int[] index = new int[shape.Length];
        for (int k = 0; k < result.Length; k++)
        {
            Unflatten(shape, k, index);
            index[a] += start;
            result[k] = x.DataArray[Flatten(x.ShapeArray, index)];
        }

        return Tensor.Create(shape, result);
    }

    /// <summary>An axis in [−rank, rank) as an index in [0, rank).</summary>
    private static int Axis(Tensor x, int axis, string parameter, string op)
    {
        if (axis < -x.Rank || axis >= x.Rank)
        {
            throw new ArgumentOutOfRangeException(parameter, axis, string.Create(CultureInfo.InvariantCulture,
                $"Axis {axis} of {op} is out of range for {x.ShapeText}: axes run from -{x.Rank} to {x.Rank - 1}."));
        }

        return axis < 0 ? axis + x.Rank : axis;
    }

    /// <summary>A shape with at most one −1 resolved for <paramref name="count"/> elements, or null when none fits.</summary>
    internal static int[]? ResolveShape(int[] shape, int count)
    {
        int inferred = -1, known = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == -1 && inferred < 0)
            {
                inferred = d;
            }
            else if (shape[d] >= 1)
            {
                known *= shape[d];
            }
            else
            {
                return null;
            }
        }

        int[] resolved = (int[])shape.Clone();
        if (inferred >= 0)
        {
            if (count % known != 0)
            {
                return null;
            }

            resolved[inferred] = count / known;
        }

        return Product(resolved) == count ? resolved : null;
    }

    private static int Product(int[] shape)
    {
        int size = 1;
        foreach (int d in shape)
        {
            size *= d;
        }

        return size;
    }

    private static void Unflatten(int[] shape, int k, int[] index)
    {
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = k % shape[d];
            k /= shape[d];
        }
    }

    private static int Flatten(int[] shape, int[] index)
    {
        int k = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            k = (k * shape[d]) + index[d];
        }

        return k;
    }
}
