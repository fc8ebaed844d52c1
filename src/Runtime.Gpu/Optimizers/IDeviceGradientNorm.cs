namespace Dsl;

/// <summary>
/// A step's gradient norm left on a device (<see cref="DeviceOptimizer"/>): the step itself never
/// waits for it, and <see cref="OptimizerState.LastGradientNorm"/> reads it back only when asked.
/// </summary>
internal interface IDeviceGradientNorm
{
    /// <summary>Waits for the device and returns the norm of the step that set it.</summary>
    float Read();
}
