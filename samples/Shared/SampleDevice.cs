using System;

namespace Dsl.Samples;

/// <summary>
/// Opens the device a sample's <c>--device</c> option names: <c>cpu</c>, <c>opencl</c> (the first
/// OpenCL device) or <c>cuda</c> (the first CUDA GPU). Shared by the samples and bench/gpu.
/// </summary>
internal static class SampleDevice
{
    /// <summary>The names, as a usage line shows them.</summary>
    public const string Choices = "cpu|opencl|cuda";

    /// <summary>Whether <paramref name="name"/> is one of <see cref="Choices"/>.</summary>
    public static bool IsName(string? name) => name is "cpu" or "opencl" or "cuda";

    /// <summary>The device called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Choices"/>.</exception>
    /// <exception cref="OpenClUnavailableException"><c>opencl</c>, and no OpenCL device is present.</exception>
    /// <exception cref="NotSupportedException"><c>cuda</c>, in a build without <c>Device.Cuda</c> (see SampleDevice.props).</exception>
    public static Device Open(string name) => name switch
    {
        "cpu" => Device.Cpu,
        "opencl" => Device.OpenCL(),
        "cuda" => Device.Cuda(),
        _ => throw new ArgumentException($"Unknown device '{name}'; expected one of {Choices}.", nameof(name)),
    };

    /// <summary>
    /// Whether <paramref name="error"/>, thrown by <see cref="Open"/>, says the device is not there or
    /// cannot run (its message says what is missing): a sample prints it and exits, with no stack trace.
    /// </summary>
    public static bool IsUnavailable(Exception error) =>
        error is OpenClUnavailableException or NotSupportedException or CudaUnavailableException or CuBlasUnavailableException;
}
