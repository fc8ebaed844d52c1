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
/// (<see cref="DeviceKernels.SumOfSquares"/>) and reads that float back (4 bytes): the host computes
/// the clip factor and the step scalars from it exactly as the CPU does, then one fused update kernel
/// runs (<see cref="DeviceKernels.SgdUpdate"/>, <see cref="DeviceKernels.AdamUpdate"/>). The
/// element-wise arithmetic is the CPU's operation for operation; only the norm's summation order
/// differs, so with clipping the factor may differ in its last bits. A step allocates nothing.
/// </remarks>
public sealed class DeviceOptimizer : IDisposable
{
    private readonly Device _device;
    private readonly DeviceKernels _kernels;
    private readonly DeviceBuffer _sumOfSquares;
    private readonly DeviceBuffer[] _buffers;
    private readonly DeviceBufferCopy _moments;
    private readonly float[] _hostSum = new float[1];

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
            for (int i = 0; i < _buffers.Length; i++)
                _buffers[i] = device.AllocateFloats(state.ParameterCount, $"{stateBuffers[i].Name} of {state.Optimizer}");

            // Uploaded lazily, before the first step reads them.
            _moments = DeviceBufferCopy.Of(state, _buffers);
        }
        catch
        {
            _sumOfSquares?.Dispose();
            foreach (var buffer in _buffers)
                buffer?.Dispose();
            throw;
        }
    }

    /// <summary>The state this optimizer updates (step counter, last gradient norm, buffers on the host).</summary>
    public OptimizerState State { get; }

    /// <summary>
    /// One step on the device, as <see cref="OptimizerState.Update"/> does it on the host: counts it,
    /// measures the global norm (<see cref="OptimizerState.LastGradientNorm"/>), clips, and updates
    /// <paramref name="parameters"/> and the device's buffers in place; <paramref name="gradients"/> is left as it was.
    /// </summary>
    /// <param name="parameters">The flat parameters on this optimizer's device: their first <see cref="OptimizerState.ParameterCount"/> floats are updated; a model's buffers (BatchNorm's running statistics) may follow them and are left alone.</param>
    /// <param name="gradients">Their gradients, <see cref="OptimizerState.ParameterCount"/> floats on the same device.</param>
    /// <exception cref="ArgumentException">A buffer has the wrong length or is on another device.</exception>
    public void Update(DeviceBuffer parameters, DeviceBuffer gradients)
    {
        CheckOperand(parameters, nameof(parameters), buffersMayFollow: true);
        CheckOperand(gradients, nameof(gradients));

        _moments.MakeCurrent();
        float scale = State.BeginUpdate(GlobalNorm(gradients));
        int count = State.ParameterCount;
        if (State is AdamState adam)
        {
            adam.BeginDeviceStep();
            var flags = (adam.AddsL2Decay ? AdamUpdateFlags.L2Decay : 0) | (adam.DecaysDecoupled ? AdamUpdateFlags.DecoupledDecay : 0);
            _kernels.AdamUpdate(
                count, scale, adam.WeightDecay, adam.DecayFactor, adam.OneMinusBeta1, adam.Beta2, adam.OneMinusBeta2,
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
            _kernels.SgdUpdate(count, scale, sgd.MinusLearningRate, sgd.Sgd.WeightDecay, sgd.Sgd.Momentum, sgd.Keep, flags, parameters, gradients, momentum);
        }

        _moments.MarkWritten();
    }

    /// <summary>Releases the device's buffers, first downloading the moments if the host has not seen their newest values.</summary>
    public void Dispose()
    {
        _moments.Release();
        _sumOfSquares.Dispose();
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }

    /// <summary>The gradient's L2 norm: its sum of squares reduced on the device, one float read back.</summary>
    private float GlobalNorm(DeviceBuffer gradients)
    {
        if (State.ParameterCount == 0)
            return 0f;
        _kernels.SumOfSquares(State.ParameterCount, gradients, _sumOfSquares);
        _sumOfSquares.Read(_hostSum);
        return (float)Math.Sqrt(_hostSum[0]);
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
