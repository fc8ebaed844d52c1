using System;
using System.Collections.Generic;
using Dsl.Kernels;

namespace Dsl;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum, dampening and L2
/// weight decay, with exactly <c>torch.optim.SGD</c>'s update:
/// <code>
/// g = grad + weightDecay·p
/// b = g                             (first step)
/// b = momentum·b + (1 - dampening)·g (later steps)
/// g = nesterov ? g + momentum·b : b  (when momentum ≠ 0)
/// p = p - lr·g
/// </code>
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Creates an SGD optimizer.</summary>
    /// <param name="learningRate">The step size.</param>
    /// <param name="momentum">The momentum factor (0 disables the momentum buffer).</param>
    /// <param name="nesterov">Use Nesterov momentum (needs momentum &gt; 0 and dampening = 0, as in PyTorch).</param>
    /// <param name="weightDecay">The L2 penalty added to the gradient.</param>
    /// <param name="dampening">The fraction of the new gradient held back from the momentum buffer.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative or not finite, or Nesterov is asked for without momentum or with dampening.</exception>
    public Sgd(float learningRate, float momentum = 0f, bool nesterov = false, float weightDecay = 0f, float dampening = 0f)
        : base(learningRate)
    {
        Momentum = NonNegative(momentum, nameof(momentum));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        Dampening = float.IsFinite(dampening)
            ? dampening
            : throw new ArgumentOutOfRangeException(nameof(dampening), dampening, $"dampening must be finite (was {dampening}).");
        if (nesterov && momentum <= 0)
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Nesterov momentum needs momentum > 0.");
        if (nesterov && dampening != 0)
            throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "Nesterov momentum needs dampening = 0.");
        Nesterov = nesterov;
    }

    /// <summary>The momentum factor.</summary>
    public float Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>The L2 weight decay.</summary>
    public float WeightDecay { get; }

    /// <summary>The momentum dampening.</summary>
    public float Dampening { get; }

    /// <inheritdoc/>
    public override OptimizerState CreateState(int parameterCount) => new State(this, parameterCount);

    /// <inheritdoc/>
    public override string ToString() =>
        $"SGD(lr={LearningRate}, momentum={Momentum}, nesterov={Nesterov}, weight_decay={WeightDecay}, dampening={Dampening})";

    /// <summary>SGD's state: the momentum buffer when momentum is on.</summary>
    internal sealed unsafe class State : FusedUpdateState
    {
        private readonly Sgd _sgd;
        private readonly float* _buffer;
        private readonly float[]? _bufferArray; // keeps the pinned momentum buffer alive
        private float _learningRate;
        private bool _firstStep;

        public State(Sgd sgd, int parameterCount)
            : base(sgd, parameterCount)
        {
            _sgd = sgd;
            if (sgd.Momentum != 0)
            {
                _bufferArray = GC.AllocateArray<float>(parameterCount, pinned: true);
                fixed (float* buffer = _bufferArray)
                    _buffer = buffer;
            }

            StateBuffers = _bufferArray is null
                ? Array.Empty<OptimizerBuffer>()
                : new[] { new OptimizerBuffer("momentum_buffer", _bufferArray) };
        }

        protected override IReadOnlyList<OptimizerBuffer> StateBuffers { get; }

        // What the update uses, for the device's copy of it (DeviceOptimizer); the step's values
        // are valid after BeginStep.
        internal Sgd Sgd => _sgd;
        internal bool HasMomentum => _bufferArray is not null;
        internal bool DecaysWeights => _sgd.WeightDecay != 0;
        internal float MinusLearningRate => -_learningRate;
        internal float Keep => 1f - _sgd.Dampening;
        internal bool FirstStep => _firstStep;

        protected override void BeginStep()
        {
            _learningRate = UpdateLearningRate;
            _firstStep = Step == 1;
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
            float* p = Parameters, g = Gradients, b = _buffer;
            bool momentum = HasMomentum, decay = DecaysWeights, nesterov = _sgd.Nesterov, first = _firstStep;
            T scale = T.Create(GradientScale), minusLr = T.Create(MinusLearningRate), weightDecay = T.Create(_sgd.WeightDecay);
            T mu = T.Create(_sgd.Momentum), keep = T.Create(Keep);
            for (; i <= end - T.Count; i += T.Count)
            {
                T param = T.Load(p + i);
                T grad = T.Load(g + i) * scale;
                if (decay)
                    grad = T.FusedMultiplyAdd(weightDecay, param, grad);
                if (momentum)
                {
                    // torch initialises the buffer to the first gradient, undampened.
                    T buffer = first ? grad : T.FusedMultiplyAdd(mu, T.Load(b + i), keep * grad);
                    buffer.Store(b + i);
                    grad = nesterov ? T.FusedMultiplyAdd(mu, buffer, grad) : buffer;
                }

                T.FusedMultiplyAdd(minusLr, grad, param).Store(p + i);
            }
        }
    }
}
