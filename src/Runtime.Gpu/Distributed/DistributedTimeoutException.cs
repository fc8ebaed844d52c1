using System;

namespace Dsl;

/// <summary>A collective operation did not complete in time: a peer rank is dead or hung.</summary>
public sealed class DistributedTimeoutException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which rank waited, for which operation, and how long.</param>
    public DistributedTimeoutException(string message) : base(message)
    {
    }
}
