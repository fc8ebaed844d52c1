using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Dsl;

/// <summary>
/// A generated program's ILGPU kernels (<see cref="FusedKernelSources.Ilgpu"/>): the public static
/// methods of the program's kernel class, named in launch-index order and looked up on first use.
/// </summary>
/// <remarks>
/// A program carries this list whatever device it runs on; only a device that runs ILGPU reads it,
/// so a CPU or OpenCL program never reflects on its kernels. The kernel class is annotated
/// <see cref="DynamicallyAccessedMembersAttribute"/> (public methods), so trimming and NativeAOT keep
/// the kernels and the look-up stays free of trimming warnings.
/// </remarks>
public sealed class FusedKernelMethods : IReadOnlyList<MethodInfo>
{
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)]
    private readonly Type _kernels;
    private readonly IReadOnlyList<string> _names;
    private MethodInfo[]? _methods;

    /// <summary>Names the kernels of <paramref name="kernels"/>.</summary>
    /// <param name="kernels">The class whose public static methods are the kernels.</param>
    /// <param name="names">The kernels' method names, in launch-index order.</param>
    public FusedKernelMethods([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type kernels, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(names);
        _kernels = kernels;
        _names = names;
    }

    /// <summary>The kernel of launch index <paramref name="index"/>.</summary>
    /// <param name="index">The kernel's index in <see cref="FusedKernelSources.KernelNames"/>.</param>
    /// <exception cref="MissingMethodException">The class has no public static method of a listed name.</exception>
    public MethodInfo this[int index] => Methods[index];

    /// <summary>The number of kernels.</summary>
    public int Count => _names.Count;

    /// <summary>The kernels in launch-index order.</summary>
    /// <returns>An enumerator over the methods.</returns>
    public IEnumerator<MethodInfo> GetEnumerator() => ((IEnumerable<MethodInfo>)Methods).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private MethodInfo[] Methods => _methods ??= Resolve();

    private MethodInfo[] Resolve()
    {
        var methods = new MethodInfo[_names.Count];
        for (int i = 0; i < methods.Length; i++)
            methods[i] = _kernels.GetMethod(_names[i], BindingFlags.Public | BindingFlags.Static)
                ?? throw new MissingMethodException($"{_kernels.FullName} has no public static kernel '{_names[i]}'.");
        return methods;
    }
}
