using System;

namespace Dsl;

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019) with exactly <c>torch.optim.AdamW</c>'s update: Adam's
/// bias-corrected moments, with weight decay decoupled from the gradient (p ← p·(1 - lr·wd)
/// before the Adam step).
/// </summary>
public sealed class AdamW : Optimizer
{
    /// <summary>Creates an AdamW optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">The step size.</param>
    /// <param name="beta1">The decay rate of the first-moment estimate, in [0, 1).</param>
    /// <param name="beta2">The decay rate of the second-moment estimate, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator for stability.</param>
    /// <param name="weightDecay">The decoupled decay rate.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public AdamW(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 1e-2f)
        : base(learningRate)
    {
        Beta1 = UnitInterval(beta1, nameof(beta1));
        Beta2 = UnitInterval(beta2, nameof(beta2));
        Epsilon = NonNegative(epsilon, nameof(epsilon));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
    }

    /// <summary>The first-moment decay rate.</summary>
    public float Beta1 { get; }

    /// <summary>The second-moment decay rate.</summary>
    public float Beta2 { get; }

    /// <summary>The denominator's stabiliser.</summary>
    public float Epsilon { get; }

    /// <summary>The decoupled weight decay.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc/>
    public override OptimizerState CreateState(int parameterCount) =>
        new AdamState(this, parameterCount, Beta1, Beta2, Epsilon, WeightDecay, decoupled: true);

    /// <inheritdoc/>
    public override string ToString() =>
        $"AdamW(lr={LearningRate}, betas=({Beta1}, {Beta2}), eps={Epsilon}, weight_decay={WeightDecay})";
}
