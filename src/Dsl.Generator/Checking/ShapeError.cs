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

    /// <summary>DSL0108, with the valid axes in plain numbers: "its axes are 0 to 2, or -3 to -1 from the end".</summary>
    public static ShapeError AxisOutOfRange(int axis, string op, Ir.Shape shape) =>
        new(DiagnosticDescriptors.AxisOutOfRange, axis, op, shape, shape.Rank, ValidAxes(shape.Rank));

    internal static string ValidAxes(int rank) => rank switch
    {
        0 => "a per-example scalar has no axes",
        1 => "its only per-example axis is 0, or -1 from the end",
        2 => "its per-example axes are 0 and 1, or -2 and -1 from the end",
        _ => "its per-example axes are 0 to " + (rank - 1) + ", or -" + rank + " to -1 from the end",
    };
}
