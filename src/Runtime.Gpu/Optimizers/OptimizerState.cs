using System;
using System.Collections.Generic;

namespace Dsl;

/// <summary>
/// The per-model side of an <see cref="Optimizer"/>: its buffers (momentum, moment estimates),
/// the step counter, and <see cref="Update"/>, which applies one step to a flat parameter buffer.
/// </summary>
/// <remarks>
/// Each step reads the gradient twice: once for its global L2 norm (always computed, see
/// <see cref="LastGradientNorm"/>), once in a single fused pass that clips, decays, updates the
/// buffers and writes the parameters. Both passes are SIMD and split across cores for large
/// models; neither allocates.
/// </remarks>
public abstract class OptimizerState
{
    private readonly GradientNorm _norm;
    private long _step;
    private float _currentLearningRate;
    private int _epoch;

    /// <summary>Initialises the common state.</summary>
    /// <param name="optimizer">The hyper-parameters, read again at every step.</param>
    /// <param name="parameterCount">The length of the flat parameter buffer this state updates.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parameterCount"/> is negative.</exception>
    protected OptimizerState(Optimizer optimizer, int parameterCount)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        Optimizer = optimizer;
        ParameterCount = parameterCount;
        _norm = new GradientNorm(parameterCount);
    }

    /// <summary>The optimizer whose hyper-parameters this state follows.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The number of floats <see cref="Update"/> expects.</summary>
    public int ParameterCount { get; }

    /// <summary>
    /// How many updates have been applied (the <c>t</c> of Adam's bias correction). Set it, with
    /// <see cref="Buffers"/>, to restore a checkpoint.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long Step
    {
        get => _step;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(Step));
            _step = value;
        }
    }

    /// <summary>
    /// The epoch the training loop is in (from 0), the position of a schedule whose interval is
    /// <see cref="ScheduleInterval.Epoch"/>; the Trainer sets it at the start of each epoch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int Epoch
    {
        get => _epoch;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(Epoch));
            _epoch = value;
        }
    }

    /// <summary>
    /// The learning rate of the next update: the optimizer's base rate, or its schedule's value at
    /// the current step or epoch (what Lightning's <c>LearningRateMonitor</c> logs).
    /// </summary>
    public float LearningRate => Optimizer.Schedule is { } schedule
        ? (float)schedule.LearningRate(Optimizer.LearningRate, schedule.Interval == ScheduleInterval.Step ? _step : _epoch)
        : Optimizer.LearningRate;

    /// <summary>
    /// The algorithm's per-parameter buffers, named as in PyTorch's optimizer state
    /// (<c>exp_avg</c>, <c>exp_avg_sq</c>, <c>momentum_buffer</c>), each laid out like the flat
    /// parameter buffer; checkpoints save and restore them in place.
    /// </summary>
    public abstract IReadOnlyList<OptimizerBuffer> Buffers { get; }

    /// <summary>The learning rate of the update in progress, fixed when <see cref="Update"/> starts.</summary>
    protected float UpdateLearningRate => _currentLearningRate;

    /// <summary>
    /// The global L2 norm of the last step's gradient, before clipping. NaN or infinity here means
    /// the step diverged (the trainer stops on it).
    /// </summary>
    public float LastGradientNorm { get; private set; }

    /// <summary>
    /// Applies one optimisation step: counts it, measures the gradient's global norm, clips when
    /// <see cref="Optimizer.ClipGradNorm"/> is set, and updates <paramref name="parameters"/> in place.
    /// </summary>
    /// <param name="parameters">The flat parameter buffer (updated in place).</param>
    /// <param name="gradients">The gradient of the loss with respect to each parameter. Clipping is folded into the update, so it is left as it was.</param>
    /// <exception cref="ArgumentException">Either span's length differs from <see cref="ParameterCount"/>.</exception>
    public void Update(Span<float> parameters, Span<float> gradients)
    {
        if (parameters.Length != ParameterCount)
            throw new ArgumentException($"Expected {ParameterCount} parameters but got {parameters.Length}.", nameof(parameters));
        if (gradients.Length != ParameterCount)
            throw new ArgumentException($"Expected {ParameterCount} gradients but got {gradients.Length}.", nameof(gradients));

        float scale = BeginUpdate(_norm.Compute(gradients));
        UpdateCore(parameters, gradients, scale);
    }

    /// <summary>
    /// The bookkeeping of one step whose gradient norm was measured elsewhere (on the host or a
    /// device): fixes the step's learning rate, counts the step, records the norm and returns the
    /// clipping factor the update multiplies each gradient by.
    /// </summary>
    /// <param name="gradientNorm">The gradient's global L2 norm, before clipping.</param>
    /// <returns>max / (norm + 1e-6) when clipping applies, else 1.</returns>
    internal float BeginUpdate(float gradientNorm)
    {
        _currentLearningRate = LearningRate;
        _step++;
        LastGradientNorm = gradientNorm;

        // torch.nn.utils.clip_grad_norm_: coefficient max / (norm + 1e-6), applied only when below 1.
        float scale = 1f;
        if (Optimizer.ClipGradNorm is float max)
        {
            float coefficient = max / (gradientNorm + 1e-6f);
            if (coefficient < 1f)
                scale = coefficient;
        }

        return scale;
    }

    /// <summary>
    /// Applies the algorithm's update to every element; <see cref="Step"/> already counts this step.
    /// </summary>
    /// <param name="parameters">The parameters, updated in place (length <see cref="ParameterCount"/>).</param>
    /// <param name="gradients">The raw gradients (length <see cref="ParameterCount"/>).</param>
    /// <param name="gradientScale">The clipping factor to multiply each gradient by first (1 when not clipping).</param>
    protected abstract void UpdateCore(Span<float> parameters, ReadOnlySpan<float> gradients, float gradientScale);
}
