using System;

namespace Dsl;

/// <summary>
/// A kernel failed to launch or failed while it ran on a device (a CUDA launch error, an illegal
/// address, a kernel that does not fit the device). Launches are asynchronous, so a failure may
/// surface at the next read of a buffer; the message says which kernel or read saw it.
/// </summary>
public sealed class KernelLaunchException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kernel">The kernel launched, or the read that saw the failure.</param>
    /// <param name="device">The device.</param>
    /// <param name="inner">The backend's error.</param>
    public KernelLaunchException(string kernel, string device, Exception inner)
        : base(
            $"{kernel} failed on {device}: {inner.Message} A kernel launched earlier on the same stream may be the cause (CUDA reports "
            + "errors asynchronously; run with CUDA_LAUNCH_BLOCKING=1 to see the first failing launch). The device's state is now undefined: dispose it.",
            inner)
    {
        Kernel = kernel;
    }

    /// <summary>The kernel launched, or the read that saw the failure.</summary>
    public string Kernel { get; }
}
