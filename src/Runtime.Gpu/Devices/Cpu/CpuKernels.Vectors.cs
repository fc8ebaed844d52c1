using System;
using System.Numerics.Tensors;
using Dsl.Kernels;

namespace Dsl;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    protected override void FillCore(int count, float value, DeviceSlice y) => F(y)[..count].Fill(value);

    /// <inheritdoc/>
    protected override void CopyCore(int count, DeviceSlice x, DeviceSlice y) => F(x)[..count].CopyTo(F(y));

    /// <inheritdoc/>
    protected override void ScaleCore(int count, float factor, DeviceSlice x, DeviceSlice y) =>
        TensorPrimitives.Multiply(F(x)[..count], factor, F(y)[..count]);

    /// <inheritdoc/>
    protected override void MeanCore(int count, DeviceSlice x, DeviceSlice result) => F(result)[0] = Rows.Mean(F(x)[..count]);

    /// <inheritdoc/>
    /// <remarks>In double over the optimizer's fixed blocks, as the CPU's global norm adds them.</remarks>
    protected override void SumOfSquaresCore(int count, DeviceSlice x, DeviceSlice result) =>
        F(result)[0] = (float)new GradientNorm(count).SumOfSquares(F(x)[..count]);

    /// <inheritdoc/>
    /// <remarks>Element by element, statement for statement <c>Sgd.State</c>'s vector loop (and the OpenCL kernel's).</remarks>
    protected override void SgdUpdateCore(
        int count, DeviceSlice gradientScale, float minusLearningRate, float weightDecay, float momentum, float keep, SgdUpdateFlags flags,
        DeviceSlice parameters, DeviceSlice gradients, DeviceSlice momentumBuffer)
    {
        float scale = F(gradientScale)[0];
        Span<float> p = F(parameters), g = F(gradients);
        Span<float> b = (flags & SgdUpdateFlags.Momentum) != 0 ? F(momentumBuffer) : default;
        for (int i = 0; i < count; i++)
        {
            float param = p[i];
            float grad = g[i] * scale;
            if ((flags & SgdUpdateFlags.Decay) != 0)
                grad = MathF.FusedMultiplyAdd(weightDecay, param, grad);
            if ((flags & SgdUpdateFlags.Momentum) != 0)
            {
                float buffer = (flags & SgdUpdateFlags.FirstStep) != 0 ? grad : MathF.FusedMultiplyAdd(momentum, b[i], keep * grad);
                b[i] = buffer;
                grad = (flags & SgdUpdateFlags.Nesterov) != 0 ? MathF.FusedMultiplyAdd(momentum, buffer, grad) : buffer;
            }

            p[i] = MathF.FusedMultiplyAdd(minusLearningRate, grad, param);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Element by element, statement for statement <c>AdamState</c>'s vector loop (and the OpenCL kernel's).</remarks>
    protected override void AdamUpdateCore(
        int count, DeviceSlice gradientScale, float weightDecay, float decayFactor, float oneMinusBeta1, float beta2, float oneMinusBeta2,
        float minusStepSize, float inverseBias2Sqrt, float epsilon, AdamUpdateFlags flags,
        DeviceSlice parameters, DeviceSlice gradients, DeviceSlice firstMoment, DeviceSlice secondMoment)
    {
        float scale = F(gradientScale)[0];
        Span<float> p = F(parameters), g = F(gradients), m = F(firstMoment), v = F(secondMoment);
        for (int i = 0; i < count; i++)
        {
            float param = p[i];
            float grad = g[i] * scale;
            if ((flags & AdamUpdateFlags.DecoupledDecay) != 0)
                param *= decayFactor;
            if ((flags & AdamUpdateFlags.L2Decay) != 0)
                grad = MathF.FusedMultiplyAdd(weightDecay, param, grad);
            float mean = MathF.FusedMultiplyAdd(oneMinusBeta1, grad - m[i], m[i]);
            float variance = MathF.FusedMultiplyAdd(beta2, v[i], oneMinusBeta2 * grad * grad);
            m[i] = mean;
            v[i] = variance;
            float denominator = MathF.FusedMultiplyAdd(MathF.Sqrt(variance), inverseBias2Sqrt, epsilon);
            p[i] = MathF.FusedMultiplyAdd(minusStepSize, mean / denominator, param);
        }
    }
}
