using System;

namespace Dsl;

/// <summary>
/// Declares a batch normalisation over a vector <c>[C]</c> or a sequence <c>[C, L]</c>, like <c>torch.nn.BatchNorm1d(C, eps, momentum, affine, track_running_stats)</c>
/// (defaults <c>eps = 1e-5</c>, <c>momentum = 0.1</c>, affine, tracking running statistics): per channel,
/// <c>y = (x - mean) / sqrt(var + eps) · weight + bias</c>. In the compiled training step the batch's
/// mean and biased variance normalise, and the running statistics are updated with the unbiased
/// variance: <c>running = (1 − momentum)·running + momentum·batch</c>; in Predict, validation and eager calls the running statistics normalise.
/// C is inferred from the argument's first axis. Parameters <c>weight</c> (ones) and <c>bias</c> (zeros) unless
/// <see cref="Affine"/> is false; buffers <c>running_mean</c>, <c>running_var</c> and <c>num_batches_tracked</c>,
/// named like PyTorch's, unless <see cref="TrackRunningStats"/> is false. <see cref="CumulativeAverage"/> is
/// PyTorch's <c>momentum=None</c>. A momentum outside [0, 1] (or given with the cumulative average) or an
/// eps that is not positive is DSL0134.
/// </summary>
/// <example>
/// <code>
/// [BatchNorm1d] private partial Tensor Norm(Tensor x);   // x: [C] or [C, L]
/// [BatchNorm1d(Momentum = 0.01, Eps = 1e-3, Affine = false)] private partial Tensor Whiten(Tensor x);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class BatchNorm1dAttribute : Attribute
{
    /// <summary>PyTorch's default <see cref="Eps"/>.</summary>
    public const double Epsilon = 1e-5;

    /// <summary>PyTorch's default <see cref="Momentum"/>.</summary>
    public const double DefaultMomentum = 0.1;

    /// <summary>The weight of a batch's statistics in the running ones, in [0, 1]: <c>running = (1 − momentum)·running + momentum·batch</c>.</summary>
    public double Momentum { get; set; } = DefaultMomentum;

    /// <summary>
    /// PyTorch's <c>momentum=None</c>: the running statistics are the plain (cumulative) average of every
    /// batch's so far, <c>running = (1 − 1/n)·running + (1/n)·batch</c> with n the updated
    /// <c>num_batches_tracked</c>. <see cref="Momentum"/> is then not given (DSL0134 if it is).
    /// </summary>
    public bool CumulativeAverage { get; set; }

    /// <summary>The constant added to the variance before its square root; positive.</summary>
    public double Eps { get; set; } = Epsilon;

    /// <summary>Whether the layer has a learnable per-channel <c>weight</c> and <c>bias</c> (PyTorch's <c>affine</c>); without, y = x̂.</summary>
    public bool Affine { get; set; } = true;

    /// <summary>
    /// Whether the layer keeps running statistics (PyTorch's <c>track_running_stats</c>). Without, it has
    /// no buffers and normalises with the batch's statistics in evaluation too (Predict, validation).
    /// </summary>
    public bool TrackRunningStats { get; set; } = true;
}
