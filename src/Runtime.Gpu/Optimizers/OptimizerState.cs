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
/// <para>
/// Without clipping no element's update depends on another's gradient, so a step can also be
/// applied one parameter at a time (<see cref="BeginStepInParts"/>, <see cref="UpdatePart"/>,
/// <see cref="EndStepInParts"/>): a compiled CPU program updates each parameter as soon as its
/// gradient is final and reuses that gradient's memory for the next, instead of keeping a
/// gradient for every parameter. The parameters come out bit for bit as from <see cref="Update"/>.
/// </para>
/// </remarks>
public abstract class OptimizerState
{
    private readonly GradientNorm _norm;
    private IDeviceGradientNorm? _deviceNorm; // a device step's norm, not yet read back
    private float _lastGradientNorm;
    private long _step;
    private float _currentLearningRate;
    private double _partsSumOfSquares;
    private long _partsUpdated = -1; // floats updated in the step in parts; -1 outside one
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
    /// parameter buffer; checkpoints save and restore them in place. Handing them out counts as a
    /// host write (see <see cref="Residency"/>): the newest values come down from a device that
    /// updated them, and the device uploads them again before its next step.
    /// </summary>
    public IReadOnlyList<OptimizerBuffer> Buffers
    {
        get
        {
            Residency.HostWrites();
            return StateBuffers;
        }
    }

    /// <summary>
    /// Bytes of per-parameter state this process keeps between steps: every buffer's floats, or under
    /// <see cref="Strategy.ShardedOptimizer"/> (ZeRO-1) only this rank's shard of them.
    /// </summary>
    public virtual long StateBytes
    {
        get
        {
            long bytes = 0;
            foreach (OptimizerBuffer buffer in StateBuffers)
                bytes += (long)buffer.Values.Length * sizeof(float);
            return bytes;
        }
    }

    /// <summary>Which copy of <see cref="Buffers"/> is newest, the host's or a device optimizer's (which keeps its copy resident).</summary>
    public HostDeviceState Residency { get; } = new();

    /// <summary>The buffers behind <see cref="Buffers"/>, in a fixed order; the host's arrays the update writes.</summary>
    protected abstract IReadOnlyList<OptimizerBuffer> StateBuffers { get; }

    /// <summary>The host's buffers without syncing, for the device copies that sync them.</summary>
    internal IReadOnlyList<OptimizerBuffer> HostBuffers => StateBuffers;

    /// <summary>The buffers for reading (a checkpoint save): the newest values, downloaded once if a device updated them, and no upload after.</summary>
    internal IReadOnlyList<OptimizerBuffer> BuffersForReading
    {
        get
        {
            Residency.SyncHost();
            return StateBuffers;
        }
    }

    /// <summary>The learning rate of the update in progress, fixed when <see cref="Update"/> starts.</summary>
    protected float UpdateLearningRate => _currentLearningRate;

    /// <summary>
    /// The global L2 norm of the last step's gradient, before clipping. NaN or infinity here means
    /// the step diverged. After a <see cref="DeviceOptimizer"/> step the norm stays on the device
    /// until this is read: the first read waits for the device and downloads it (4 bytes).
    /// </summary>
    public float LastGradientNorm
    {
        get
        {
            if (_deviceNorm is { } deviceNorm)
            {
                _deviceNorm = null;
                _lastGradientNorm = deviceNorm.Read();
            }

            return _lastGradientNorm;
        }

        private set
        {
            _deviceNorm = null;
            _lastGradientNorm = value;
        }
    }

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

        // The host update writes the buffers: they must hold a device's newest values first.
        Residency.HostWrites();
        float scale = BeginUpdate(_norm.Compute(gradients));
        UpdateCore(parameters, gradients, scale);
    }

    /// <summary>
    /// Applies one step to a part of the parameters, with the clipping factor of a gradient norm
    /// measured over the whole gradient elsewhere: ZeRO-1's update of one rank's shard, by a state
    /// made for the shard's length. Counts the step, as <see cref="Update"/> does.
    /// </summary>
    /// <param name="parameters">The shard's parameters, updated in place (length <see cref="ParameterCount"/>).</param>
    /// <param name="gradients">The shard's gradients.</param>
    /// <param name="wholeGradientNorm">The global L2 norm of the whole gradient, before clipping.</param>
    internal void UpdateShard(Span<float> parameters, ReadOnlySpan<float> gradients, float wholeGradientNorm)
    {
        Residency.HostWrites();
        float scale = BeginUpdate(wholeGradientNorm);
        UpdateCore(parameters, gradients, scale);
    }

    /// <summary>
    /// Whether the next step may be applied in parts: no <see cref="Optimizer.ClipGradNorm"/>
    /// (clipping needs the norm of the whole gradient first) and an algorithm whose update is
    /// element-wise (every built-in optimizer). Read it before each step: clipping can be switched on.
    /// </summary>
    public bool CanUpdateInParts => Optimizer.ClipGradNorm is null && UpdatesElementwise;

    /// <summary>Whether <see cref="UpdatePartCore"/> is implemented: each element's update reads only its own gradient and state.</summary>
    protected virtual bool UpdatesElementwise => false;

    /// <summary>
    /// Starts one optimisation step applied in parts: fixes the step's learning rate and scalars,
    /// as <see cref="Update"/> does; <see cref="Step"/> counts the step when <see cref="EndStepInParts"/>
    /// closes it. Each parameter is then updated by one
    /// <see cref="UpdatePart"/>, and <see cref="EndStepInParts"/> closes the step.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="CanUpdateInParts"/> is false, or a step in parts is already open.</exception>
    public void BeginStepInParts()
    {
        if (!CanUpdateInParts)
            throw new InvalidOperationException($"{Optimizer.GetType().Name} cannot update in parts now: {(Optimizer.ClipGradNorm is null ? "its update is not element-wise" : "ClipGradNorm needs the whole gradient's norm first")}; call Update with the whole gradient.");
        if (_partsUpdated >= 0)
            throw new InvalidOperationException("A step in parts is already open; call EndStepInParts first.");
        Residency.HostWrites(); // the parts write the host's buffers
        _currentLearningRate = LearningRate;
        _partsSumOfSquares = 0;
        _partsUpdated = 0;
        // The step's scalars (Adam's bias corrections) are those of step t = Step + 1, but Step
        // itself counts the step only at EndStepInParts: the program's dropout masks are drawn
        // from Step while the backward pass runs, and must be the masks of its forward pass.
        _step++;
        BeginPartsCore();
        _step--;
    }

    /// <summary>
    /// Updates the parameters [<paramref name="offset"/>, <paramref name="offset"/> + length) of
    /// the flat buffer from their gradient, within a step opened by <see cref="BeginStepInParts"/>.
    /// Every element must be updated exactly once per step, in any order.
    /// </summary>
    /// <param name="parameters">The part of the flat parameter buffer (updated in place).</param>
    /// <param name="offset">Where the part starts in the flat buffer (and in the optimizer's buffers).</param>
    /// <param name="gradients">The gradient of the part, as long as <paramref name="parameters"/>.</param>
    /// <exception cref="InvalidOperationException">No step in parts is open.</exception>
    /// <exception cref="ArgumentException">The lengths differ, or the part does not lie inside the flat buffer.</exception>
    public void UpdatePart(Span<float> parameters, int offset, ReadOnlySpan<float> gradients)
    {
        if (_partsUpdated < 0)
            throw new InvalidOperationException("UpdatePart outside a step in parts; call BeginStepInParts first.");
        if (gradients.Length != parameters.Length)
            throw new ArgumentException($"Expected {parameters.Length} gradients, as many as parameters, but got {gradients.Length}.", nameof(gradients));
        if (offset < 0 || (long)offset + parameters.Length > ParameterCount)
            throw new ArgumentException($"The part [{offset}, {(long)offset + parameters.Length}) does not lie inside the {ParameterCount} parameters.", nameof(offset));
        _partsSumOfSquares += _norm.SumOfSquares(gradients);
        _partsUpdated += parameters.Length;
        UpdatePartCore(parameters, offset, gradients);
    }

    /// <summary>
    /// Closes a step in parts: counts it in <see cref="Step"/> and records <see cref="LastGradientNorm"/>, the norm of all the parts'
    /// gradients (each part's sum of squares in its own fixed blocks, so its last bits can differ
    /// from <see cref="Update"/>'s, which blocks the whole buffer).
    /// </summary>
    /// <exception cref="InvalidOperationException">No step in parts is open, or its parts did not cover every parameter once.</exception>
    public void EndStepInParts()
    {
        if (_partsUpdated < 0)
            throw new InvalidOperationException("EndStepInParts without BeginStepInParts.");
        long updated = _partsUpdated;
        _partsUpdated = -1;
        _step++;
        LastGradientNorm = (float)Math.Sqrt(_partsSumOfSquares);
        if (updated != ParameterCount)
            throw new InvalidOperationException($"The step's parts updated {updated} floats, not the {ParameterCount} parameters.");
    }

    /// <summary>Computes the step's scalars (bias corrections) once, at <see cref="BeginStepInParts"/>, while <see cref="Step"/> reads the step being taken.</summary>
    protected virtual void BeginPartsCore()
    {
    }

    /// <summary>Applies the step to one part with the scalars <see cref="BeginPartsCore"/> computed; there is no clipping.</summary>
    /// <param name="parameters">The part of the flat buffer, updated in place.</param>
    /// <param name="offset">Its position in the flat buffer.</param>
    /// <param name="gradients">Its gradient.</param>
    protected virtual void UpdatePartCore(Span<float> parameters, int offset, ReadOnlySpan<float> gradients) =>
        throw new NotSupportedException($"{GetType().Name} does not update in parts.");

    /// <summary>
    /// The bookkeeping of one step whose gradient norm was measured elsewhere (on the host, or by
    /// another rank): fixes the step's learning rate, counts the step, records the norm and returns the
    /// clipping factor the update multiplies each gradient by.
    /// </summary>
    /// <param name="gradientNorm">The gradient's global L2 norm, before clipping.</param>
    /// <returns><see cref="ClipFactor"/> of the norm when clipping applies, else 1.</returns>
    internal float BeginUpdate(float gradientNorm)
    {
        BeginStepCount();
        LastGradientNorm = gradientNorm;
        return Optimizer.ClipGradNorm is float max ? ClipFactor(gradientNorm, max) : 1f;
    }

    /// <summary>
    /// The bookkeeping of one step whose gradient norm stays on a device, which also computes the
    /// clipping factor there (<see cref="DeviceKernels.ClipFactor"/>): fixes the step's learning rate
    /// and counts the step; <see cref="LastGradientNorm"/> reads <paramref name="gradientNorm"/> when asked.
    /// </summary>
    /// <param name="gradientNorm">The device's norm of this step, read back only if <see cref="LastGradientNorm"/> is read before the next step.</param>
    internal void BeginDeviceUpdate(IDeviceGradientNorm gradientNorm)
    {
        BeginStepCount();
        _deviceNorm = gradientNorm;
    }

    /// <summary>
    /// Reads <paramref name="gradientNorm"/> back now if <see cref="LastGradientNorm"/> still waits for
    /// it: the device that holds it is about to release it.
    /// </summary>
    internal void ReadDeviceNorm(IDeviceGradientNorm gradientNorm)
    {
        if (ReferenceEquals(_deviceNorm, gradientNorm))
            _ = LastGradientNorm;
    }

    /// <summary>
    /// torch.nn.utils.clip_grad_norm_'s factor: max / (norm + 1e-6), applied only when below 1 (an
    /// infinite norm gives 0; a NaN norm gives a NaN coefficient, which is not below 1, so 1). The host's clipping and every device's
    /// clip kernel compute it with this method, in float, so that their factors agree bit for bit
    /// on the same norm.
    /// </summary>
    /// <param name="gradientNorm">The gradient's global L2 norm, before clipping.</param>
    /// <param name="maxNorm">The largest norm allowed (<see cref="Optimizer.ClipGradNorm"/>).</param>
    /// <returns>The factor each gradient is multiplied by, at most 1.</returns>
    internal static float ClipFactor(float gradientNorm, float maxNorm)
    {
        float coefficient = maxNorm / (gradientNorm + 1e-6f);
        return coefficient < 1f ? coefficient : 1f;
    }

    /// <summary>Fixes the step's learning rate and counts the step (its number is what Adam's bias corrections read).</summary>
    private void BeginStepCount()
    {
        _currentLearningRate = LearningRate;
        _step++;
    }

    /// <summary>
    /// Applies the algorithm's update to every element; <see cref="Step"/> already counts this step.
    /// </summary>
    /// <param name="parameters">The parameters, updated in place (length <see cref="ParameterCount"/>).</param>
    /// <param name="gradients">The raw gradients (length <see cref="ParameterCount"/>).</param>
    /// <param name="gradientScale">The clipping factor to multiply each gradient by first (1 when not clipping).</param>
    protected abstract void UpdateCore(Span<float> parameters, ReadOnlySpan<float> gradients, float gradientScale);
}
