using System;
using System.Collections.Generic;

namespace Dsl;

/// <summary>
/// What one entry point of a compiled program takes and logs: the inputs in the order of the
/// user's method (and so of a <see cref="Batch"/>'s columns), the metrics it logs and, for the
/// forward pass, the shape of one example's output. The Trainer checks a data set against it
/// before the first step, so a mismatch names both sides instead of failing mid-epoch.
/// </summary>
public sealed class StepSignature
{
    /// <summary>Creates a signature.</summary>
    /// <param name="method">The user's method, e.g. <c>"TrainingStep"</c>.</param>
    /// <param name="inputs">Its inputs, in parameter order.</param>
    /// <param name="metrics">The names it logs with <c>Log</c>.</param>
    /// <param name="outputShape">The per-example output shape of a forward pass; null for steps.</param>
    public StepSignature(string method, IReadOnlyList<StepInput> inputs, IReadOnlyList<string> metrics, int[]? outputShape = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(metrics);
        Method = method;
        Inputs = inputs;
        Metrics = metrics;
        OutputShape = outputShape;
        OutputSize = outputShape is null ? 0 : Shapes.Size(outputShape);
    }

    /// <summary>The user's method name.</summary>
    public string Method { get; }

    /// <summary>The inputs, in parameter order; input <c>i</c> reads batch column <c>i</c>.</summary>
    public IReadOnlyList<StepInput> Inputs { get; }

    /// <summary>The metric names this step logs.</summary>
    public IReadOnlyList<string> Metrics { get; }

    /// <summary>The shape of one example's output, for a forward pass; otherwise null.</summary>
    public int[]? OutputShape { get; }

    /// <summary>Floats per example of the output (0 when there is none).</summary>
    public int OutputSize { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Method}({string.Join(", ", Inputs)})";
}
