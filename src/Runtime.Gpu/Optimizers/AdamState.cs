using System;
using System.Collections.Generic;
using Dsl.Kernels;

namespace Dsl;

/// <summary>
/// The fused update shared by <see cref="Adam"/> (L2 decay added to the gradient) and
/// <see cref="AdamW"/> (decoupled decay), in torch.optim's single-tensor form:
/// <code>
/// p = p·(1 - lr·wd)                        (AdamW)
/// g = grad + wd·p                          (Adam)
/// m = m + (1 - β1)(g - m)
/// v = β2·v + (1 - β2)·g²
/// p = p - lr/(1 - β1ᵗ) · m / (√v / √(1 - β2ᵗ) + ε)
/// </code>
/// </summary>
internal sealed unsafe class AdamState : FusedUpdateState
{
    private readonly float _beta1, _beta2, _epsilon, _weightDecay;
    private readonly bool _decoupled;
    private readonly float[] _moments; // [m..., v...], pinned so the pointers below stay valid
    private readonly float* _m, _v;
    private readonly OptimizerBuffer[] _buffers;
    private float _stepSize, _inverseBias2Sqrt, _decayFactor;

    public AdamState(Optimizer optimizer, int parameterCount, float beta1, float beta2, float epsilon, float weightDecay, bool decoupled)
        : base(optimizer, parameterCount)
    {
        (_beta1, _beta2, _epsilon, _weightDecay, _decoupled) = (beta1, beta2, epsilon, weightDecay, decoupled);
        _moments = GC.AllocateArray<float>(2 * parameterCount, pinned: true);
        _buffers = new[]
        {
            new OptimizerBuffer("exp_avg", _moments.AsMemory(0, parameterCount)),
            new OptimizerBuffer("exp_avg_sq", _moments.AsMemory(parameterCount, parameterCount)),
        };
        fixed (float* moments = _moments)
        {
            _m = moments;
            _v = moments + parameterCount;
        }
    }

    protected override IReadOnlyList<OptimizerBuffer> StateBuffers => _buffers;

    // The hyper-parameters and step scalars as the update uses them, for the device's copy of it
    // (DeviceOptimizer); the step scalars are valid after BeginStep.
    internal float Beta2 => _beta2;
    internal float Epsilon => _epsilon;
    internal float WeightDecay => _weightDecay;
    internal float OneMinusBeta1 => 1 - _beta1;
    internal float OneMinusBeta2 => 1 - _beta2;
    internal bool AddsL2Decay => !_decoupled && _weightDecay != 0;
    internal bool DecaysDecoupled => _decoupled && _weightDecay != 0;
    internal float MinusStepSize => -_stepSize;
    internal float InverseBias2Sqrt => _inverseBias2Sqrt;
    internal float DecayFactor => _decayFactor;

    protected override void BeginStep()
    {
        // Step scalars in double, as torch computes them in Python floats.
        double learningRate = UpdateLearningRate;
        double bias1 = 1 - Math.Pow(_beta1, Step);
        double bias2 = 1 - Math.Pow(_beta2, Step);
        _stepSize = (float)(learningRate / bias1);
        _inverseBias2Sqrt = (float)(1 / Math.Sqrt(bias2));
        _decayFactor = (float)(1 - learningRate * _weightDecay);
    }

    protected override void UpdateRange(int start, int end)
    {
        int i = start;
        if (FusedUpdate.Use512)
            Update<Lanes512>(ref i, end);
        else if (FusedUpdate.Use256)
            Update<Lanes256>(ref i, end);
        Update<Lanes1>(ref i, end);
    }

    private void Update<T>(ref int i, int end)
        where T : struct, ISimdLanes<T>
    {
        float* p = Parameters, g = Gradients, m = _m, v = _v;
        bool l2 = AddsL2Decay, decoupled = DecaysDecoupled;
        T scale = T.Create(GradientScale), weightDecay = T.Create(_weightDecay), decayFactor = T.Create(_decayFactor);
        T oneMinusBeta1 = T.Create(OneMinusBeta1), beta2 = T.Create(_beta2), oneMinusBeta2 = T.Create(OneMinusBeta2);
        T minusStepSize = T.Create(MinusStepSize), inverseBias2Sqrt = T.Create(_inverseBias2Sqrt), epsilon = T.Create(_epsilon);
        for (; i <= end - T.Count; i += T.Count)
        {
            T param = T.Load(p + i);
            T grad = T.Load(g + i) * scale;
            if (decoupled)
                param *= decayFactor;
            if (l2)
                grad = T.FusedMultiplyAdd(weightDecay, param, grad);

            T mean = T.Load(m + i);
            mean = T.FusedMultiplyAdd(oneMinusBeta1, grad - mean, mean);
            T variance = T.FusedMultiplyAdd(beta2, T.Load(v + i), oneMinusBeta2 * grad * grad);
            mean.Store(m + i);
            variance.Store(v + i);

            // Division rather than a reciprocal multiply, to round as torch does.
            T denominator = T.FusedMultiplyAdd(T.Sqrt(variance), inverseBias2Sqrt, epsilon);
            T.FusedMultiplyAdd(minusStepSize, mean / denominator, param).Store(p + i);
        }
    }
}
