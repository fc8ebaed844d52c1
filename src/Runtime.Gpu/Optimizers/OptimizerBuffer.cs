using System;

namespace Dsl;

/// <summary>
/// One per-parameter buffer of an optimizer's state, laid out like the flat parameter buffer.
/// </summary>
/// <param name="Name">PyTorch's name for it: <c>exp_avg</c>, <c>exp_avg_sq</c>, <c>momentum_buffer</c>.</param>
/// <param name="Values">The live values; writing them (when restoring a checkpoint) changes the state.</param>
public sealed record OptimizerBuffer(string Name, Memory<float> Values);
