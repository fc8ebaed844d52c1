using System;

namespace Dsl;

/// <summary>
/// Eager reference implementations of the layers. The generator emits calls to these from the
/// bodies of layer partial methods (e.g. a <see cref="DenseAttribute">[Dense]</see> method), so
/// that a model runs as plain C#, passing the layer's parameters explicitly.
/// </summary>
public static partial class EagerLayers
{
    /// <summary>
    /// A fully connected layer, as <c>torch.nn.Linear</c>:
    /// <c>y[o] = Σ_i weight[o, i] · x[i] + bias[o]</c>.
    /// Shapes: <c>x [in]</c>, <c>weight [out, in]</c>, <c>bias [out]</c> or none → <c>y [out]</c>.
    /// As in PyTorch, an input of higher rank <c>[..., in]</c> is mapped row by row to <c>[..., out]</c>.
    /// </summary>
    /// <param name="x">The input features; the last axis has <c>in</c> elements.</param>
    /// <param name="weight">The weight, <c>[out, in]</c> (PyTorch's layout).</param>
    /// <param name="bias">The bias, <c>[out]</c>, or <see langword="null"/> for a layer without one.</param>
    /// <returns>The output features, <c>[out]</c> (or <c>[..., out]</c>).</returns>
    /// <exception cref="ArgumentException">A shape does not fit the others.</exception>
    public static Tensor Dense(Tensor x, Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        (int outFeatures, int inFeatures) = CheckDenseShapes(x, weight, bias);

        // Counted from the shape, not as x.Length / in, which would divide by zero for in = 0.
        int rows = RowCount(x.ShapeArray);
        var output = new double[rows * outFeatures];
        for (int row = 0; row < rows; row++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = 0.0;
                for (int i = 0; i < inFeatures; i++)
                {
                    sum += weight[o * inFeatures + i] * x[row * inFeatures + i];
                }

                output[row * outFeatures + o] = sum + (bias is null ? 0.0 : bias[o]);
            }
        }

        int[] shape = (int[])x.ShapeArray.Clone();
        shape[^1] = outFeatures;
        return Tensor.Create(shape, output);
    }

    private static (int Out, int In) CheckDenseShapes(Tensor x, Tensor weight, Tensor? bias)
    {
        if (weight.Rank != 2)
        {
            throw new ArgumentException(
                $"Dense: weight {weight.ShapeText} must have shape [out, in].", nameof(weight));
        }

        int outFeatures = weight.ShapeArray[0];
        int inFeatures = weight.ShapeArray[1];
        if (x.Rank == 0 || x.ShapeArray[^1] != inFeatures)
        {
            throw new ArgumentException(
                $"Dense: input {x.ShapeText} does not match weight {weight.ShapeText}; " +
                $"expected an input of {inFeatures} features.",
                nameof(x));
        }

        if (bias is not null && (bias.Rank != 1 || bias.ShapeArray[0] != outFeatures))
        {
            throw new ArgumentException(
                $"Dense: bias {bias.ShapeText} does not match weight {weight.ShapeText}; " +
                $"expected a bias of {outFeatures} values.",
                nameof(bias));
        }

        return (outFeatures, inFeatures);
    }

    // The number of last-axis rows: the product of all axes but the last.
    private static int RowCount(int[] shape)
    {
        int rows = 1;
        for (int axis = 0; axis < shape.Length - 1; axis++)
        {
            rows *= shape[axis];
        }

        return rows;
    }
}
