using System;
using System.Collections.Generic;
using static Dsl.OpenClOptimizerKernels;

namespace Dsl;

/// <summary>
/// Runs an <see cref="OptimizerState"/>'s update on an OpenCL device: SGD (momentum, dampening,
/// Nesterov, weight decay), Adam and AdamW, with clipping by global norm, in the same arithmetic
/// as the CPU's <see cref="OptimizerState.Update"/>. The state's buffers (momentum, moments) get
/// device copies that stay resident between steps: they are uploaded only when the host's were
/// written (a restored checkpoint, a host update) and downloaded only when the host reads them
/// (a checkpoint save), through the state's <see cref="OptimizerState.Residency"/>.
/// </summary>
/// <remarks>
/// Each step measures the gradient's global L2 norm in two stages, per-work-group partial sums of
/// squares on the device, read back and added in double on the host, then computes the clip
/// factor and the step scalars on the host exactly as the CPU does, and runs one fused update
/// kernel. The element-wise arithmetic is the CPU's operation for operation (explicit FMAs,
/// correctly rounded division and square root where the device has them); only the norm's
/// summation order differs, so with clipping the factor may differ in its last bits. A step
/// allocates nothing.
/// </remarks>
public sealed class OpenClOptimizer : IDisposable
{
    private readonly OpenClDevice _device;
    private readonly OpenClKernel _norm, _update;
    private readonly OpenClBuffer _partials;
    private readonly OpenClBuffer[] _buffers;
    private readonly OpenClCopy _moments;
    private readonly float[] _hostPartials;
    private readonly int _localSize, _normGroups;

    /// <summary>Builds the kernels (once per device) and allocates the device copies of the state's buffers.</summary>
    /// <param name="state">The state to follow; its <see cref="OptimizerState.Step"/> and buffers are the truth between steps.</param>
    /// <param name="device">The device the parameters and gradients live on.</param>
    /// <exception cref="NotSupportedException">The state is not one of <see cref="Sgd"/>'s, <see cref="Adam"/>'s or <see cref="AdamW"/>'s.</exception>
    /// <exception cref="OpenClException">A buffer does not fit on the device or the kernels fail to build.</exception>
    public OpenClOptimizer(OptimizerState state, OpenClDevice device)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(device);
        if (state is not (Sgd.State or AdamState))
            throw new NotSupportedException(
                $"OpenClOptimizer runs Sgd, Adam and AdamW; {state.Optimizer} ({state.GetType().Name}) has no OpenCL update.");
        State = state;
        _device = device;

        OpenClProgram program = device.GetProgram(Source, ProgramName);
        var created = new List<IDisposable>();
        try
        {
            _norm = program.CreateKernel("sum_of_squares");
            created.Add(_norm);
            _update = program.CreateKernel(state is AdamState ? "adam_update" : "sgd_update");
            created.Add(_update);

            // A power-of-two work-group (the tree reduction halves it) that fits the kernel, at most 256.
            int limit = Math.Min(256, Math.Min(device.MaxWorkGroupSize, _norm.WorkGroupSize));
            _localSize = 1;
            while (_localSize * 2 <= limit)
                _localSize *= 2;
            int block = _localSize * ItemsPerWorkItem;
            _normGroups = (int)((state.ParameterCount + (long)block - 1) / block);
            _hostPartials = new float[_normGroups];
            _partials = device.AllocateFloats(_normGroups, $"gradient-norm partial sums of {state.Optimizer}");
            created.Add(_partials);

            var stateBuffers = state.HostBuffers;
            _buffers = new OpenClBuffer[stateBuffers.Count];
            for (int i = 0; i < _buffers.Length; i++)
            {
                _buffers[i] = device.AllocateFloats(state.ParameterCount, $"{stateBuffers[i].Name} of {state.Optimizer}");
                created.Add(_buffers[i]);
            }

            // Uploaded lazily, before the first step reads them.
            _moments = OpenClCopy.Of(state, _buffers);
        }
        catch
        {
            foreach (var resource in created)
                resource.Dispose();
            throw;
        }
    }

    /// <summary>The state this optimizer updates (step counter, last gradient norm, buffers on the host).</summary>
    public OptimizerState State { get; }

    /// <summary>How many partial sums of squares each step reads back to finish the gradient norm on the host (one per work-group).</summary>
    public int NormPartialCount => _normGroups;

    /// <summary>
    /// One step on the device, as <see cref="OptimizerState.Update"/> does it on the host: counts it,
    /// measures the global norm (<see cref="OptimizerState.LastGradientNorm"/>), clips, and updates
    /// <paramref name="parameters"/> and the device's buffers in place; <paramref name="gradients"/> is left as it was.
    /// </summary>
    /// <param name="parameters">The flat parameters (<see cref="OptimizerState.ParameterCount"/> floats) on this optimizer's device.</param>
    /// <param name="gradients">Their gradients, same length and device.</param>
    /// <exception cref="ArgumentException">A buffer has the wrong length or is on another device.</exception>
    /// <exception cref="OpenClException">A kernel failed.</exception>
    public void Update(OpenClBuffer parameters, OpenClBuffer gradients)
    {
        CheckOperand(parameters, nameof(parameters));
        CheckOperand(gradients, nameof(gradients));

        _moments.MakeCurrent();
        float scale = State.BeginUpdate(GlobalNorm(gradients));
        int count = State.ParameterCount;
        int global = RoundUp(count);
        if (State is AdamState adam)
        {
            adam.BeginDeviceStep();
            int flags = (adam.AddsL2Decay ? AdamL2Decay : 0) | (adam.DecaysDecoupled ? AdamDecoupledDecay : 0);
            _update.SetArg(0, parameters);
            _update.SetArg(1, gradients);
            _update.SetArg(2, _buffers[0]);
            _update.SetArg(3, _buffers[1]);
            _update.SetArg(4, count);
            _update.SetArg(5, scale);
            _update.SetArg(6, adam.WeightDecay);
            _update.SetArg(7, adam.DecayFactor);
            _update.SetArg(8, adam.OneMinusBeta1);
            _update.SetArg(9, adam.Beta2);
            _update.SetArg(10, adam.OneMinusBeta2);
            _update.SetArg(11, adam.MinusStepSize);
            _update.SetArg(12, adam.InverseBias2Sqrt);
            _update.SetArg(13, adam.Epsilon);
            _update.SetArg(14, flags);
        }
        else
        {
            var sgd = (Sgd.State)State;
            sgd.BeginDeviceStep();
            int flags = (sgd.DecaysWeights ? SgdDecay : 0) | (sgd.HasMomentum ? SgdMomentum : 0)
                | (sgd.Sgd.Nesterov ? SgdNesterov : 0) | (sgd.FirstStep ? SgdFirstStep : 0);
            _update.SetArg(0, parameters);
            _update.SetArg(1, gradients);
            _update.SetArg(2, sgd.HasMomentum ? _buffers[0] : parameters); // never touched without momentum
            _update.SetArg(3, count);
            _update.SetArg(4, scale);
            _update.SetArg(5, sgd.MinusLearningRate);
            _update.SetArg(6, sgd.Sgd.WeightDecay);
            _update.SetArg(7, sgd.Sgd.Momentum);
            _update.SetArg(8, sgd.Keep);
            _update.SetArg(9, flags);
        }

        _update.Launch(global, _localSize);
        _moments.MarkWritten();
    }

    /// <summary>Releases the kernels and the device's buffers, first downloading the moments if the host has not seen their newest values.</summary>
    public void Dispose()
    {
        _moments.Release();
        _norm.Dispose();
        _update.Dispose();
        _partials.Dispose();
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }

    private float GlobalNorm(OpenClBuffer gradients)
    {
        if (_normGroups == 0)
            return 0f;
        _norm.SetArg(0, gradients);
        _norm.SetArg(1, State.ParameterCount);
        _norm.SetArg(2, ItemsPerWorkItem);
        _norm.SetArg(3, _partials);
        _norm.SetLocalArg(4, _localSize * sizeof(float));
        _norm.Launch(_normGroups * _localSize, _localSize);

        // Stage two on the host: the partials in order, in double, as GradientNorm adds its blocks.
        _partials.Read(_hostPartials);
        double sum = 0;
        foreach (float partial in _hostPartials)
            sum += partial;
        return (float)Math.Sqrt(sum);
    }

    private int RoundUp(int count) => (int)((count + (long)_localSize - 1) / _localSize * _localSize);

    private void CheckOperand(OpenClBuffer buffer, string name)
    {
        ArgumentNullException.ThrowIfNull(buffer, name);
        if (buffer.Count != State.ParameterCount)
            throw new ArgumentException($"Expected {State.ParameterCount} {name} but buffer '{buffer.Name}' has {buffer.Count}.", name);
        if (buffer.Device != _device)
            throw new ArgumentException($"Buffer '{buffer.Name}' is on {buffer.Device.Name}, but the optimizer runs on {_device.Name}.", name);
    }
}
