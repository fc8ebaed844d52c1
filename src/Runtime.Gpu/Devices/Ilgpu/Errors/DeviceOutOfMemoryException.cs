using System;

namespace Dsl;

/// <summary>
/// A device buffer could not be allocated: the device's memory is used up. The message names the
/// buffer, the bytes asked for and the device's memory.
/// </summary>
public sealed class DeviceOutOfMemoryException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was asked for, of which device, and what to do.</param>
    /// <param name="inner">The backend's error.</param>
    public DeviceOutOfMemoryException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
