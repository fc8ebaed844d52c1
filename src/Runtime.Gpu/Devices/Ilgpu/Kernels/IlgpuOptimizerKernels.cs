using System;
using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// The global-norm clip factor and the fused SGD and Adam updates of <c>optimizer.cl</c>, statement
/// for statement the CPU's (<c>OptimizerState.ClipFactor</c>, <c>Sgd.State</c>, <c>AdamState</c>), every
/// multiply-add rounded once (<see cref="ExactMath.Fma"/>) where the CPU's is, so the device's
/// parameters match the CPU's bit for bit. The updates read the gradient's factor from device memory
/// (the clip factor's one float), so the host never waits for the norm.
/// </summary>
internal static class IlgpuOptimizerKernels
{
    /// <summary>
    /// factor[0] = the clip factor of the gradient whose sum of squares is sumOfSquares[0]: its norm,
    /// √sum rounded to float as the host's <c>(float)Math.Sqrt</c> rounds it, through the host's own
    /// <see cref="OptimizerState.ClipFactor"/>. The grid's first thread writes it.
    /// </summary>
    public static void ClipFactor(ArrayView<float> sumOfSquares, ArrayView<float> factor, float maxNorm)
    {
        if (IlgpuGridStride.Start == 0)
            factor[0] = OptimizerState.ClipFactor((float)Math.Sqrt(sumOfSquares[0]), maxNorm);
    }

    /// <summary>torch.optim.SGD on the elements below count, each gradient times scale[0]; b is neither read nor written without momentum.</summary>
    public static void SgdUpdate(int count, ArrayView<float> p, ArrayView<float> g, ArrayView<float> b, ArrayView<float> scale, SgdArguments a)
    {
        float gradientScale = scale[0];
        for (int i = IlgpuGridStride.Start; i < count; i += IlgpuGridStride.Stride)
            SgdElement(i, p, g, b, gradientScale, a);
    }

    /// <summary>torch.optim.Adam (L2 decay) and AdamW (decoupled decay) on the elements below count, each gradient times scale[0].</summary>
    public static void AdamUpdate(
        int count, ArrayView<float> p, ArrayView<float> g, ArrayView<float> m, ArrayView<float> v, ArrayView<float> scale, AdamArguments a)
    {
        float gradientScale = scale[0];
        for (int i = IlgpuGridStride.Start; i < count; i += IlgpuGridStride.Stride)
            AdamElement(i, p, g, m, v, gradientScale, a);
    }

    private static void SgdElement(int i, ArrayView<float> p, ArrayView<float> g, ArrayView<float> b, float gradientScale, SgdArguments a)
    {
        float param = p[i];
        float grad = g[i] * gradientScale;
        if ((a.Flags & (int)SgdUpdateFlags.Decay) != 0)
            grad = ExactMath.Fma(a.WeightDecay, param, grad);
        if ((a.Flags & (int)SgdUpdateFlags.Momentum) != 0)
        {
            // torch initialises the buffer to the first gradient, undampened.
            float buffer = (a.Flags & (int)SgdUpdateFlags.FirstStep) != 0 ? grad : ExactMath.Fma(a.Momentum, b[i], a.Keep * grad);
            b[i] = buffer;
            grad = (a.Flags & (int)SgdUpdateFlags.Nesterov) != 0 ? ExactMath.Fma(a.Momentum, buffer, grad) : buffer;
        }

        p[i] = ExactMath.Fma(a.MinusLearningRate, grad, param);
    }

    private static void AdamElement(
        int i, ArrayView<float> p, ArrayView<float> g, ArrayView<float> m, ArrayView<float> v, float gradientScale, AdamArguments a)
    {
        float param = p[i];
        float grad = g[i] * gradientScale;
        if ((a.Flags & (int)AdamUpdateFlags.DecoupledDecay) != 0)
            param *= a.DecayFactor;
        if ((a.Flags & (int)AdamUpdateFlags.L2Decay) != 0)
            grad = ExactMath.Fma(a.WeightDecay, param, grad);
        float mean = ExactMath.Fma(a.OneMinusBeta1, grad - m[i], m[i]);
        float variance = ExactMath.Fma(a.Beta2, v[i], a.OneMinusBeta2 * grad * grad);
        m[i] = mean;
        v[i] = variance;
        // Division rather than a reciprocal multiply, to round as torch does.
        float denominator = ExactMath.Fma(MathF.Sqrt(variance), a.InverseBias2Sqrt, a.Epsilon);
        p[i] = ExactMath.Fma(a.MinusStepSize, mean / denominator, param);
    }
}

/// <summary>The step scalars of <see cref="IlgpuOptimizerKernels.SgdUpdate"/> (one kernel argument).</summary>
internal readonly record struct SgdArguments(
    float MinusLearningRate, float WeightDecay, float Momentum, float Keep, int Flags);

/// <summary>The step scalars of <see cref="IlgpuOptimizerKernels.AdamUpdate"/> (one kernel argument).</summary>
internal readonly record struct AdamArguments(
    float WeightDecay, float DecayFactor, float OneMinusBeta1, float Beta2, float OneMinusBeta2,
    float MinusStepSize, float InverseBias2Sqrt, float Epsilon, int Flags);
