using System;

namespace Dsl;

/// <summary>
/// An optimisation algorithm's hyper-parameters (as torch.optim's constructors take them). The
/// per-parameter buffers it needs (momentum, moments) live in an <see cref="OptimizerState"/>
/// made by <see cref="CreateState"/>, so one optimizer description can drive several models.
/// </summary>
/// <remarks>
/// <see cref="LearningRate"/> is the base rate, read at every step; a <see cref="Schedule"/>
/// declared with the optimizer turns it into the rate of each update.
/// </remarks>
public abstract class Optimizer
{
    private float _learningRate;
    private float? _clipGradNorm;

    /// <summary>Validates and stores the learning rate.</summary>
    /// <param name="learningRate">The step size (non-negative, finite).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative or not finite.</exception>
    protected Optimizer(float learningRate)
    {
        _learningRate = NonNegative(learningRate, nameof(learningRate));
    }

    /// <summary>The base step size, read at every step; <see cref="Schedule"/>, when set, scales it per update.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = NonNegative(value, nameof(LearningRate));
    }

    /// <summary>
    /// When set, gradients are scaled before each update so their global L2 norm (over every
    /// parameter together) is at most this value, like <c>torch.nn.utils.clip_grad_norm_</c>:
    /// the scale is max / (norm + 1e-6) when that is below 1. Null (the default) never clips.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public float? ClipGradNorm
    {
        get => _clipGradNorm;
        set
        {
            if (value is float max && !(max > 0 && float.IsFinite(max)))
                throw new ArgumentOutOfRangeException(nameof(ClipGradNorm), max, $"ClipGradNorm must be positive and finite (was {max}).");
            _clipGradNorm = value;
        }
    }

    /// <summary>
    /// The learning-rate schedule, declared with the optimizer
    /// (<c>new AdamW(3e-4f) { Schedule = new WarmupCosineSchedule(100, 5000) }</c>); null keeps
    /// <see cref="LearningRate"/> constant.
    /// </summary>
    public LearningRateSchedule? Schedule { get; set; }

    /// <summary>Allocates the buffers this algorithm keeps for a model of <paramref name="parameterCount"/> floats.</summary>
    /// <param name="parameterCount">The length of the model's flat parameter buffer.</param>
    /// <returns>A fresh state at step 0.</returns>
    public abstract OptimizerState CreateState(int parameterCount);

    /// <summary>Throws unless <paramref name="value"/> is finite and at least 0.</summary>
    /// <param name="value">The hyper-parameter.</param>
    /// <param name="name">Its name, for the exception.</param>
    /// <returns><paramref name="value"/>.</returns>
    protected static float NonNegative(float value, string name) =>
        value >= 0 && float.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative (was {value}).");

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> &lt; 1 (an exponential decay rate).</summary>
    /// <param name="value">The hyper-parameter.</param>
    /// <param name="name">Its name, for the exception.</param>
    /// <returns><paramref name="value"/>.</returns>
    protected static float UnitInterval(float value, string name) =>
        value >= 0 && value < 1
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1) (was {value}).");
}
