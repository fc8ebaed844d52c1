using System;

namespace Dsl;

/// <summary>Open MPI's library (<c>libmpi.so.40</c>) could not be loaded; the message gives the command that installs it.</summary>
public sealed class MpiUnavailableException : Exception
{
    /// <summary>The packages that provide <c>mpirun</c> and <c>libmpi.so.40</c> on Debian and Ubuntu.</summary>
    public const string InstallCommand = "apt-get install -y openmpi-bin libopenmpi-dev";

    /// <summary>Creates the exception, naming what failed to load.</summary>
    /// <param name="inner">The loader's error.</param>
    public MpiUnavailableException(Exception? inner = null)
        : base($"Distributed training needs Open MPI (libmpi.so.40 and mpirun), which could not be loaded: {inner?.Message ?? "not found"}. Install it with: {InstallCommand}", inner)
    {
    }
}
