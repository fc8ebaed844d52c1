namespace Dsl;

public abstract partial class DeviceKernels
{
    /// <summary>
    /// torch.optim.SGD on count elements, with the arithmetic of <c>Sgd.State</c> (every multiply-add fused):
    /// g = gradients·gradientScale[0] (+ weightDecay·p); b = g on the first step, else momentum·b + keep·g;
    /// g = nesterov ? g + momentum·b : b; p = p + minusLearningRate·g.
    /// </summary>
    /// <param name="count">The number of parameters.</param>
    /// <param name="gradientScale">One float on the device, the gradient's factor (the global-norm clip of <see cref="ClipFactor"/>, else 1): read there, so that the host never waits for it.</param>
    /// <param name="minusLearningRate">−lr.</param>
    /// <param name="weightDecay">The L2 decay (read with <see cref="SgdUpdateFlags.Decay"/>).</param>
    /// <param name="momentum">The momentum (read with <see cref="SgdUpdateFlags.Momentum"/>).</param>
    /// <param name="keep">1 − dampening.</param>
    /// <param name="flags">Which terms apply.</param>
    /// <param name="parameters">The parameters, count floats (updated).</param>
    /// <param name="gradients">The gradients, count floats.</param>
    /// <param name="momentumBuffer">The momentum buffer, count floats; not touched (nor checked) without <see cref="SgdUpdateFlags.Momentum"/>.</param>
    public void SgdUpdate(
        int count, DeviceSlice gradientScale, float minusLearningRate, float weightDecay, float momentum, float keep, SgdUpdateFlags flags,
        DeviceSlice parameters, DeviceSlice gradients, DeviceSlice momentumBuffer)
    {
        CheckSize(count, nameof(count));
        CheckFloats(gradientScale, 1, nameof(gradientScale));
        CheckFloats(parameters, count, nameof(parameters));
        CheckFloats(gradients, count, nameof(gradients));
        if ((flags & SgdUpdateFlags.Momentum) != 0)
            CheckFloats(momentumBuffer, count, nameof(momentumBuffer));
        SgdUpdateCore(count, gradientScale, minusLearningRate, weightDecay, momentum, keep, flags, parameters, gradients, momentumBuffer);
    }

    /// <summary>
    /// torch.optim.Adam / AdamW on count elements, with the arithmetic of <c>AdamState</c> (the step's
    /// scalars computed on the host in double, as torch does): p ·= decayFactor (AdamW); g = gradients·gradientScale[0]
    /// (+ weightDecay·p, Adam); m += (1 − β1)(g − m); v = β2·v + (1 − β2)·g²;
    /// p += minusStepSize·m / (√v·inverseBias2Sqrt + epsilon).
    /// </summary>
    /// <param name="count">The number of parameters.</param>
    /// <param name="gradientScale">One float on the device, the gradient's factor (the global-norm clip of <see cref="ClipFactor"/>, else 1): read there, so that the host never waits for it.</param>
    /// <param name="weightDecay">Adam's L2 decay (read with <see cref="AdamUpdateFlags.L2Decay"/>).</param>
    /// <param name="decayFactor">AdamW's 1 − lr·weightDecay (read with <see cref="AdamUpdateFlags.DecoupledDecay"/>).</param>
    /// <param name="oneMinusBeta1">1 − β1.</param>
    /// <param name="beta2">β2.</param>
    /// <param name="oneMinusBeta2">1 − β2.</param>
    /// <param name="minusStepSize">−lr / (1 − β1^t).</param>
    /// <param name="inverseBias2Sqrt">1 / √(1 − β2^t).</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="flags">Which decay applies.</param>
    /// <param name="parameters">The parameters, count floats (updated).</param>
    /// <param name="gradients">The gradients, count floats.</param>
    /// <param name="firstMoment">m, count floats (updated).</param>
    /// <param name="secondMoment">v, count floats (updated).</param>
    public void AdamUpdate(
        int count, DeviceSlice gradientScale, float weightDecay, float decayFactor, float oneMinusBeta1, float beta2, float oneMinusBeta2,
        float minusStepSize, float inverseBias2Sqrt, float epsilon, AdamUpdateFlags flags,
        DeviceSlice parameters, DeviceSlice gradients, DeviceSlice firstMoment, DeviceSlice secondMoment)
    {
        CheckSize(count, nameof(count));
        CheckFloats(gradientScale, 1, nameof(gradientScale));
        CheckFloats(parameters, count, nameof(parameters));
        CheckFloats(gradients, count, nameof(gradients));
        CheckFloats(firstMoment, count, nameof(firstMoment));
        CheckFloats(secondMoment, count, nameof(secondMoment));
        AdamUpdateCore(
            count, gradientScale, weightDecay, decayFactor, oneMinusBeta1, beta2, oneMinusBeta2, minusStepSize, inverseBias2Sqrt, epsilon, flags,
            parameters, gradients, firstMoment, secondMoment);
    }

    /// <summary>Computes <see cref="SgdUpdate"/> on validated operands.</summary>
    protected abstract void SgdUpdateCore(
        int count, DeviceSlice gradientScale, float minusLearningRate, float weightDecay, float momentum, float keep, SgdUpdateFlags flags,
        DeviceSlice parameters, DeviceSlice gradients, DeviceSlice momentumBuffer);

    /// <summary>Computes <see cref="AdamUpdate"/> on validated operands.</summary>
    protected abstract void AdamUpdateCore(
        int count, DeviceSlice gradientScale, float weightDecay, float decayFactor, float oneMinusBeta1, float beta2, float oneMinusBeta2,
        float minusStepSize, float inverseBias2Sqrt, float epsilon, AdamUpdateFlags flags,
        DeviceSlice parameters, DeviceSlice gradients, DeviceSlice firstMoment, DeviceSlice secondMoment);
}
