using System;

namespace Dsl;

/// <summary>
/// Runs an <see cref="OptimizerState"/>'s update on any device with a kernel library
/// (<see cref="Device.Kernels"/>): SGD (momentum, dampening, Nesterov, weight decay), Adam and
/// AdamW, with clipping by global norm, in the same arithmetic as the CPU's
/// <see cref="OptimizerState.Update"/>. The state's buffers (momentum, moments) get device copies
/// that stay resident between steps: they are uploaded only when the host's were written (a
/// restored checkpoint, a host update) and downloaded only when the host reads them (a checkpoint
/// save), through the state's <see cref="OptimizerState.Residency"/>.
/// </summary>
/// <remarks>
/// Each step reduces the gradient's sum of squares on the device to one float
/// (<see cref="DeviceKernels.SumOfSquares"/>), computes the clip factor from it there with the CPU's
/// formula (<see cref="DeviceKernels.ClipFactor"/>), and runs one fused update kernel that reads the
/// factor from device memory (<see cref="DeviceKernels.SgdUpdate"/>, <see cref="DeviceKernels.AdamUpdate"/>);
/// the step scalars (learning rate, bias corrections) come from the host. So a step never waits for
/// the device: the norm stays there until <see cref="OptimizerState.LastGradientNorm"/> is read (one
/// float, 4 bytes). The element-wise arithmetic is the CPU's operation for operation; only the norm's
/// summation order differs, so with clipping the factor may differ in its last bits. A step allocates nothing.
/// </remarks>
public sealed class DeviceOptimizer : IDisposable, IDeviceGradientNorm
{
    private readonly Device _device;
    private readonly DeviceKernels _kernels;
    private readonly DeviceBuffer _sumOfSquares;
    private readonly DeviceBuffer _gradientScale;
    private readonly DeviceBuffer[] _buffers;
    private readonly DeviceBufferCopy _moments;
    private readonly float[] _hostSum = new float[1];
    private bool _scaleIsOne; // the gradient scale's float holds 1 (no clipping last step), so an unclipped step need not write it

    /// <summary>Allocates the device copies of the state's buffers on <paramref name="device"/>.</summary>
    /// <param name="state">The state to follow; its <see cref="OptimizerState.Step"/> and buffers are the truth between steps.</param>
    /// <param name="device">The device the parameters and gradients live on.</param>
    /// <exception cref="NotSupportedException">The state is not one of <see cref="Sgd"/>'s, <see cref="Adam"/>'s or <see cref="AdamW"/>'s, or the device has no kernel library.</exception>
    public DeviceOptimizer(OptimizerState state, Device device)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(device);
        if (state is not (Sgd.State or AdamState))
            throw new NotSupportedException(
                $"DeviceOptimizer runs Sgd, Adam and AdamW; {state.Optimizer} ({state.GetType().Name}) has no device update.");
        State = state;
        _device = device;
        _kernels = device.Kernels;

        var stateBuffers = state.HostBuffers;
        _buffers = new DeviceBuffer[stateBuffers.Count];
        try
        {
            _sumOfSquares = device.AllocateFloats(1, $"gradient sum of squares of {state.Optimizer}");
            _gradientScale = device.AllocateFloats(1, $"gradient clip factor of {state.Optimizer}");
            for (int i = 0; i < _buffers.Length; i++)
                _buffers[i] = device.AllocateFloats(state.ParameterCount, $"{stateBuffers[i].Name} of {state.Optimizer}");

            // Uploaded lazily, before the first step reads them.
            _moments = DeviceBufferCopy.Of(state, _buffers);
        }
        catch
        {
            _sumOfSquares?.Dispose();
            _gradientScale?.Dispose();
            foreach (var buffer in _buffers)
                buffer?.Dispose();
            throw;
        }
    }

    /// <summary>The state this optimizer updates (step counter, last gradient norm, buffers on the host).</summary>
    public OptimizerState State { get; }

    /// <summary>
    /// One step on the device, as <see cref="OptimizerState.Update"/> does it on the host: counts it,
    /// measures the global norm (<see cref="OptimizerState.LastGradientNorm"/>, read back only when
    /// read), clips, and updates <paramref name="parameters"/> and the device's buffers in place;
    /// <paramref name="gradients"/> is left as it was. Enqueues kernels only: the host does not wait.
    /// </summary>
    /// <param name="parameters">The flat parameters on this optimizer's device: their first <see cref="OptimizerState.ParameterCount"/> floats are updated; a model's buffers (BatchNorm's running statistics) may follow them and are left alone.</param>
    /// <param name="gradients">Their gradients, <see cref="OptimizerState.ParameterCount"/> floats on the same device.</param>
    /// <exception cref="ArgumentException">A buffer has the wrong length or is on another device.</exception>
    public void Update(DeviceBuffer parameters, DeviceBuffer gradients)
    {
        CheckOperand(parameters, nameof(parameters), buffersMayFollow: true);
        CheckOperand(gradients, nameof(gradients));

        _moments.MakeCurrent();
        int count = State.ParameterCount;
        if (count == 0)
            State.BeginUpdate(0f); // nothing to reduce or update: the norm of no gradient is 0
        else
            MeasureAndClip(gradients);
        if (State is AdamState adam)
        {
            adam.BeginDeviceStep();
            var flags = (adam.AddsL2Decay ? AdamUpdateFlags.L2Decay : 0) | (adam.DecaysDecoupled ? AdamUpdateFlags.DecoupledDecay : 0);
            _kernels.AdamUpdate(
                count, _gradientScale, adam.WeightDecay, adam.DecayFactor, adam.OneMinusBeta1, adam.Beta2, adam.OneMinusBeta2,
                adam.MinusStepSize, adam.InverseBias2Sqrt, adam.Epsilon, flags, parameters, gradients, _buffers[0], _buffers[1]);
        }
        else
        {
            var sgd = (Sgd.State)State;
            sgd.BeginDeviceStep();
            var flags = (sgd.DecaysWeights ? SgdUpdateFlags.Decay : 0) | (sgd.HasMomentum ? SgdUpdateFlags.Momentum : 0)
                | (sgd.Sgd.Nesterov ? SgdUpdateFlags.Nesterov : 0) | (sgd.FirstStep ? SgdUpdateFlags.FirstStep : 0);
            // Without momentum the kernel never reads the momentum buffer (there is none).
            DeviceSlice momentum = sgd.HasMomentum ? _buffers[0] : default;
            _kernels.SgdUpdate(count, _gradientScale, sgd.MinusLearningRate, sgd.Sgd.WeightDecay, sgd.Sgd.Momentum, sgd.Keep, flags, parameters, gradients, momentum);
        }

        _moments.MarkWritten();
    }

    /// <summary>
    /// Releases the device's buffers, first downloading the moments if the host has not seen their
    /// newest values, and the last step's gradient norm if it has not been read.
    /// </summary>
    public void Dispose()
    {
        _moments.Release();
        State.ReadDeviceNorm(this);
        _sumOfSquares.Dispose();
        _gradientScale.Dispose();
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }

    /// <summary>The norm of the last step's gradient: its sum of squares, one float, read back (the read waits for the step).</summary>
    float IDeviceGradientNorm.Read()
    {
        _sumOfSquares.Read(_hostSum);
        return (float)Math.Sqrt(_hostSum[0]);
    }

    /// <summary>
    /// Starts the step: the gradient's sum of squares reduced on the device, and from it the clip
    /// factor there (or 1 without clipping), which the update kernel reads; the norm stays on the device.
    /// </summary>
    private void MeasureAndClip(DeviceBuffer gradients)
    {
        _kernels.SumOfSquares(State.ParameterCount, gradients, _sumOfSquares);
        State.BeginDeviceUpdate(this);
        if (State.Optimizer.ClipGradNorm is float maxNorm)
        {
            _kernels.ClipFactor(_sumOfSquares, maxNorm, _gradientScale);
            _scaleIsOne = false;
        }
        else if (!_scaleIsOne)
        {
            _kernels.Fill(1, 1f, _gradientScale);
            _scaleIsOne = true;
        }
    }

    private void CheckOperand(DeviceBuffer buffer, string name, bool buffersMayFollow = false)
    {
        ArgumentNullException.ThrowIfNull(buffer, name);
        if (buffersMayFollow ? buffer.Length < State.ParameterCount : buffer.Length != State.ParameterCount)
            throw new ArgumentException($"Expected {(buffersMayFollow ? "at least " : "")}{State.ParameterCount} {name} but buffer '{buffer.Name}' has {buffer.Length}.", name);
        if (buffer.Device != _device)
            throw new ArgumentException($"Buffer '{buffer.Name}' is on {buffer.Device.Name}, but the optimizer runs on {_device.Name}.", name);
    }
}
