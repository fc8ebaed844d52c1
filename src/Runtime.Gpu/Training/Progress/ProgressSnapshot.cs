using System;
using System.Collections.Generic;

namespace Dsl.Training.Progress;

/// <summary>Everything one progress line shows: a stage's description, count, time and metrics.</summary>
/// <param name="Description">The stage, e.g. <c>Epoch 3/20</c>; empty for none.</param>
/// <param name="Completed">Steps done.</param>
/// <param name="Total">Steps in the stage, or null when unknown.</param>
/// <param name="Elapsed">Time since the stage started.</param>
/// <param name="Metrics">Named values shown after the timing, in order.</param>
internal readonly record struct ProgressSnapshot(
    string Description,
    int Completed,
    int? Total,
    TimeSpan Elapsed,
    IReadOnlyList<KeyValuePair<string, double>> Metrics);
