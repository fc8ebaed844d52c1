using System;

namespace Dsl;

/// <summary>The outputs of <see cref="Trainer.Predict"/>: one per example, in the loader's order.</summary>
public sealed class Predictions
{
    private readonly float[] _values;
    private readonly int[] _exampleIndices;

    /// <summary>Wraps outputs laid out example after example.</summary>
    /// <param name="outputShape">The shape of one output.</param>
    /// <param name="values">All outputs, back to back.</param>
    /// <param name="exampleIndices">The data set index of each output's example.</param>
    public Predictions(int[] outputShape, float[] values, int[] exampleIndices)
    {
        ArgumentNullException.ThrowIfNull(outputShape);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(exampleIndices);
        OutputShape = outputShape;
        OutputSize = Shapes.Size(outputShape);
        if (values.Length != (long)exampleIndices.Length * OutputSize)
            throw new ArgumentException($"{values.Length} values do not make {exampleIndices.Length} outputs of {OutputSize}.", nameof(values));
        _values = values;
        _exampleIndices = exampleIndices;
    }

    /// <summary>The number of examples.</summary>
    public int Count => _exampleIndices.Length;

    /// <summary>The shape of one output (e.g. <c>[10]</c> logits).</summary>
    public int[] OutputShape { get; }

    /// <summary>Floats per output.</summary>
    public int OutputSize { get; }

    /// <summary>All outputs, back to back.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The data set index of each output's example (the loader may shuffle).</summary>
    public ReadOnlySpan<int> ExampleIndices => _exampleIndices;

    /// <summary>The output of the <paramref name="index"/>-th example predicted.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> - 1.</param>
    public ReadOnlySpan<float> this[int index] => _values.AsSpan(checked(index * OutputSize), OutputSize);

    /// <summary>The position of the largest value of an output: the predicted class of a classifier.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> - 1.</param>
    public int ArgMax(int index)
    {
        ReadOnlySpan<float> output = this[index];
        int best = 0;
        for (int i = 1; i < output.Length; i++)
            if (output[i] > output[best])
                best = i;
        return best;
    }
}
