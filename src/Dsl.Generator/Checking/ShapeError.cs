using System;
using Dsl.Generator.Diagnostics;

namespace Dsl.Generator.Checking;

/// <summary>
/// A shape rule's refusal. Lowering catches it at the expression being lowered and reports it
/// there as a diagnostic; it never leaves the generator.
/// </summary>
internal sealed class ShapeError : Exception
{
    public ShapeError(DslDiagnosticDescriptor descriptor, params object[] arguments)
        : base(descriptor.Id)
    {
        Descriptor = descriptor;
        Arguments = arguments;
    }

    public DslDiagnosticDescriptor Descriptor { get; }

    public object[] Arguments { get; }
}
