using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Dsl.Generator.Parsing;

// Names: the generator finds a model's layers and methods by name and adds members of its own to
// the class, so a name used twice would make it read the wrong member or write a clashing one.
internal sealed partial class ModelParser
{
    /// <summary>The members the generated part of a [Model] class declares, by the names the user's code sees.</summary>
    private static readonly string[] s_generatedModelMembers =
    {
        "Summary", "ParameterCount", "ParameterSpecs", "Parameters", "Compile", "Program", "CpuProgram", "DeviceProgram", "s_parameterSpecs",
        "ExportOnnx", "OnnxForwardGraph",
    };

    /// <summary>
    /// Reports a user member named like a member the generated part declares, and an entry point or
    /// optimizer named like a layer or child (C# allows the overload; the generator looks up by name).
    /// </summary>
    /// <returns>Whether a user member has the name of a generated one.</returns>
    private bool CheckNames(IEnumerable<IMethodSymbol> methods, bool isModel)
    {
        bool clash = false;
        // A class cannot hold a member of its own name (CS0542), so a model named 'Program' or 'Summary' is one.
        if (isModel && s_generatedModelMembers.Contains(_type.Name))
        {
            Report(DiagnosticDescriptors.ReservedMemberName, Location(_type), _type.Name, _type.Name);
            clash = true;
        }
        foreach (ISymbol member in isModel ? _type.GetMembers() : Enumerable.Empty<ISymbol>())
        {
            if (member.IsImplicitlyDeclared || !s_generatedModelMembers.Contains(member.Name))
                continue;
            Report(DiagnosticDescriptors.ReservedMemberName, Location(member), member.Name, _type.Name);
            clash = true;
        }
        foreach (IMethodSymbol method in methods)
        {
            if (!_layers.ContainsKey(method.Name) && !_invalidLayers.Contains(method.Name) && !_children.ContainsKey(method.Name))
                continue;
            if (RoleOf(method) is { } role)
                Report(DiagnosticDescriptors.BadMethodSignature, Location(method), role, method.Name,
                    "has the name of a layer or child; the generator finds them by name, so give the method its own");
            else if (_layers.ContainsKey(method.Name) && !IsLayer(method))
                // A helper or hook overloading a layer (a hook renamed to 'Hidden'): a call by that name
                // would be read as the layer, and the two would share its parameters' names.
                Report(DiagnosticDescriptors.BadLayerSignature, Location(method), method.Name,
                    "another method of the class has its name; the generator finds layers by name, so give that method its own", "Tensor x");
        }
        return clash;
    }

    private static bool IsLayer(IMethodSymbol method) =>
        Layers.LayerCatalogue.Entries.Any(entry => Attribute(method, entry.AttributeName) is not null);

    /// <summary>The attribute that makes the generator read <paramref name="method"/>, other than a layer's.</summary>
    private static string? RoleOf(IMethodSymbol method) =>
        Attribute(method, KnownNames.ForwardAttribute) is not null ? "Forward"
        : Attribute(method, KnownNames.TrainingStepAttribute) is not null ? "TrainingStep"
        : Attribute(method, KnownNames.ValidationStepAttribute) is not null ? "ValidationStep"
        : Attribute(method, KnownNames.OptimizerAttribute) is not null ? "Optimizer"
        : null;
}
