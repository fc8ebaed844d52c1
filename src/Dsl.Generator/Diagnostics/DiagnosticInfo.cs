using System;
using System.Linq;
using Dsl.Generator.Common;

namespace Dsl.Generator.Diagnostics;

/// <summary>
/// A diagnostic as a value: descriptor, trimmed location and message arguments. Equatable, so it
/// flows through the incremental pipeline without holding on to a <c>Compilation</c>.
/// </summary>
internal sealed record DiagnosticInfo(DslDiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DslDiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
        new(descriptor, location, arguments.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToEquatableArray());

    /// <summary>The formatted message, as the compiler will print it.</summary>
    public string Message => string.Format(System.Globalization.CultureInfo.InvariantCulture, Descriptor.MessageFormat, Arguments.Cast<object>().ToArray());

    public override string ToString() => $"{Descriptor.Id} {Location?.Describe()}: {Message}";
}
