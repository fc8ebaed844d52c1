using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Dsl.Generator.Parsing;

/// <summary>
/// A layer attribute's arguments as a layer kind's <c>Parse</c> reads them: the constants, with
/// the problems reported at the attribute. An argument C# itself rejects (CS0182) fails silently,
/// since C# reports it.
/// </summary>
internal sealed class LayerAttributeReader
{
    private readonly AttributeData _attribute;
    private readonly ModelParser _parser;

    internal LayerAttributeReader(AttributeData attribute, ModelParser parser, string kind, string methodName, LocationInfo? location)
    {
        _attribute = attribute;
        _parser = parser;
        Kind = kind;
        MethodName = methodName;
        Location = location;
    }

    /// <summary>The attribute's short name, e.g. <c>Dense</c>.</summary>
    public string Kind { get; }

    /// <summary>The layer method's name, e.g. <c>Hidden</c>.</summary>
    public string MethodName { get; }

    /// <summary>Where the attribute is written (the method's name when unknown): where its problems are reported.</summary>
    public LocationInfo? Location { get; }

    /// <summary>"[Dense] Hidden", as messages name a layer's attribute.</summary>
    public string Display => "[" + Kind + "] " + MethodName;

    /// <summary>The number of positional arguments.</summary>
    public int PositionalCount => _attribute.ConstructorArguments.Length;

    /// <summary>Positional argument <paramref name="index"/> as a positive int; false after an error (reported unless C#'s own).</summary>
    public bool TryPositive(int index, out int value) => TryPositive(index < PositionalCount ? _attribute.ConstructorArguments[index] : default, index < PositionalCount, out value);

    private bool TryPositive(TypedConstant size, bool present, out int value)
    {
        value = 0;
        if (!present || size.Kind == TypedConstantKind.Error)
            return false; // C# reports the argument itself (CS0182, or the missing argument).
        if (size.Value is not int given || given <= 0)
        {
            Report(DiagnosticDescriptors.InvalidDimension, size.Value ?? "?", Display);
            return false;
        }
        value = given;
        return true;
    }

    /// <summary>Positional argument <paramref name="index"/>, or a null constant.</summary>
    public TypedConstant Positional(int index) => index < PositionalCount ? _attribute.ConstructorArguments[index] : default;

    /// <summary>The named argument <paramref name="name"/>, or a null constant when not given.</summary>
    public TypedConstant Named(string name) => _attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value;

    /// <summary>Whether the named argument <paramref name="name"/> is written.</summary>
    public bool HasNamed(string name) => _attribute.NamedArguments.Any(a => a.Key == name);

    /// <summary>The named bool argument <paramref name="name"/>, or <paramref name="fallback"/> when not given.</summary>
    public bool NamedBool(string name, bool fallback) => Named(name).Value is bool value ? value : fallback;

    /// <summary>
    /// The named int argument <paramref name="name"/>, or <paramref name="fallback"/> when not
    /// given; false after an error (a value below <paramref name="minimum"/> is reported, DSL0131).
    /// </summary>
    public bool TryNamedInt(string name, int fallback, int minimum, out int value)
    {
        value = fallback;
        if (!_attribute.NamedArguments.Any(a => a.Key == name))
            return true;
        TypedConstant given = Named(name);
        if (given.Kind == TypedConstantKind.Error)
            return false; // C# reports the argument itself.
        if (given.Value is not int number || number < minimum)
        {
            Report(DiagnosticDescriptors.InvalidWindowArgument, name, given.Value ?? "?", Display, minimum == 0 ? "0 or more" : "at least " + minimum);
            return false;
        }
        value = number;
        return true;
    }

    /// <summary>
    /// The named double argument <paramref name="name"/>, or <paramref name="fallback"/> when not
    /// given; false after an error (a value <paramref name="valid"/> refuses is reported as
    /// <paramref name="descriptor"/>, saying it must be <paramref name="expected"/>).
    /// </summary>
    public bool TryNamedDouble(string name, double fallback, System.Func<double, bool> valid, DslDiagnosticDescriptor descriptor, string expected, out double value)
    {
        value = fallback;
        if (!HasNamed(name))
            return true;
        TypedConstant given = Named(name);
        if (given.Kind == TypedConstantKind.Error)
            return false; // C# reports the argument itself.
        if (given.Value is not double number || !valid(number))
        {
            Report(descriptor, name, System.Convert.ToString(given.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "?", Display, expected);
            return false;
        }
        value = number;
        return true;
    }

    /// <summary>Reports a problem with the attribute's arguments at the attribute.</summary>
    public void Report(DslDiagnosticDescriptor descriptor, params object[] arguments) => _parser.Report(descriptor, Location, arguments);
}
