using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir;
using Microsoft.CodeAnalysis;

namespace Dsl.Generator.Parsing.Functions;

/// <summary>
/// The [CustomVjp] and [CustomJvp] rules of a function: finding them, and checking a rule against
/// its function. The rule pipeline reports the problems at the rule, once; the function library
/// runs the same check and, when it fails, leaves the derived methods that reach the function
/// without a body rather than report it again.
/// </summary>
internal static class CustomRules
{
    public const string VjpAttribute = "Dsl.CustomVjpAttribute";
    public const string JvpAttribute = "Dsl.CustomJvpAttribute";

    /// <summary>The rule methods of <paramref name="function"/> marked <paramref name="attribute"/>, in declaration order.</summary>
    public static IReadOnlyList<IMethodSymbol> RulesFor(IMethodSymbol function, string attribute) =>
        function.ContainingType.GetMembers().OfType<IMethodSymbol>()
            .Where(m => RuleAttribute(m, attribute) is { } a && Named(a) == function.Name)
            .ToList();

    /// <summary>Whether any method of the type names <paramref name="function"/> in a rule attribute.</summary>
    public static bool HasRules(IMethodSymbol function) =>
        RulesFor(function, VjpAttribute).Count > 0 || RulesFor(function, JvpAttribute).Count > 0;

    public static AttributeData? RuleAttribute(IMethodSymbol method, string attribute) =>
        method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == attribute);

    public static bool IsRule(IMethodSymbol method) => RuleAttribute(method, VjpAttribute) is not null || RuleAttribute(method, JvpAttribute) is not null;

    /// <summary>The function an attribute names.</summary>
    public static string Named(AttributeData attribute) => attribute.ConstructorArguments.FirstOrDefault().Value as string ?? "";

    /// <summary>The [Differentiable] function a rule's attribute names, or null.</summary>
    public static IMethodSymbol? Target(IMethodSymbol rule, AttributeData attribute) =>
        rule.ContainingType.GetMembers(Named(attribute)).OfType<IMethodSymbol>()
            .FirstOrDefault(m => FunctionLibrary.HasAttribute(m, "Dsl.DifferentiableAttribute"));

    /// <summary>
    /// The first problem of <paramref name="rule"/> as the <paramref name="attribute"/> rule it is
    /// marked with, or null: a function that cannot have one (DSL0211), a second rule of the same
    /// kind (DSL0212), a signature that does not match (DSL0210).
    /// </summary>
    public static DiagnosticInfo? Check(IMethodSymbol rule, AttributeData attribute, SyntaxNode attributeSyntax)
    {
        string kind = attribute.AttributeClass?.ToDisplayString() == VjpAttribute ? "CustomVjp" : "CustomJvp";
        LocationInfo? at = attributeSyntax.GetLocation().ToInfo();
        IMethodSymbol? function = Target(rule, attribute);
        string name = Named(attribute);
        if (function is null)
            return DiagnosticInfo.Create(DiagnosticDescriptors.CustomRuleTarget, at, kind, name, $"which is not a [Differentiable] function of '{rule.ContainingType.Name}'");
        if (FunctionTypes.Scalar(function.ReturnType) is not (DType.F64 or DType.F32))
            return DiagnosticInfo.Create(DiagnosticDescriptors.CustomRuleTarget, at, kind, name,
                $"whose result '{function.ReturnType.ToDisplayString()}' is not a double or float; custom rules are for functions with one scalar result");
        if (function.Parameters.FirstOrDefault(p => FunctionTypes.Of(p.Type) is null || p.RefKind is RefKind.Ref or RefKind.Out) is { } bad)
            return DiagnosticInfo.Create(DiagnosticDescriptors.CustomRuleTarget, at, kind, name,
                $"whose parameter '{bad.Name}' has type '{bad.Type.ToDisplayString()}', which a differentiable function cannot take");
        var differentiable = function.Parameters.Where(p => FunctionTypes.Of(p.Type) is (DType.F64 or DType.F32, _)).ToList();
        if (differentiable.Count == 0)
            return DiagnosticInfo.Create(DiagnosticDescriptors.CustomRuleTarget, at, kind, name, "which has no double or float parameter to differentiate");

        IReadOnlyList<IMethodSymbol> rules = RulesFor(function, attribute.AttributeClass!.ToDisplayString());
        if (rules.Count > 1 && !SymbolEqualityComparer.Default.Equals(rules[0], rule))
            return DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateCustomRule, at, name, kind, rules[0].Name);

        var (expected, types) = Expected(function, rule.Name, kind == "CustomVjp");
        if (!rule.IsStatic || rule.IsGenericMethod || Declared(rule) != types)
            return DiagnosticInfo.Create(DiagnosticDescriptors.CustomRuleSignatureMismatch, rule.Locations.FirstOrDefault().ToInfo(), rule.Name, expected, kind, name);
        return null;
    }

    /// <summary>
    /// The declaration a rule must have, as the message shows it (<c>static double FVjp(double x,
    /// double result, double cotangent)</c>, returning a cotangent per float parameter, or
    /// <c>static double FJvp(double x, double result, double dx)</c>) and as its types compare.
    /// </summary>
    private static (string Text, string Types) Expected(IMethodSymbol function, string rule, bool vjp)
    {
        string result = FunctionTypes.Shape(function.ReturnType);
        var parameters = function.Parameters.Select(p => (Type: FunctionTypes.Shape(p.Type), p.Name)).ToList();
        var differentiable = function.Parameters.Where(p => FunctionTypes.Of(p.Type) is (DType.F64 or DType.F32, _)).ToList();
        parameters.Add((result, "result"));
        string returns = result;
        if (vjp)
        {
            parameters.Add((result, "cotangent"));
            var cotangents = differentiable.Select(p => FunctionTypes.Shape(p.Type)).ToList();
            returns = cotangents.Count == 1 ? cotangents[0] : "(" + string.Join(", ", cotangents) + ")";
        }
        else
            parameters.AddRange(differentiable.Select(p => (FunctionTypes.Shape(p.Type), "d" + p.Name)));
        string text = "static " + returns + " " + rule + "(" + string.Join(", ", parameters.Select(p => p.Type + " " + p.Name)) + ")";
        return (text, returns + " " + rule + "(" + string.Join(", ", parameters.Select(p => p.Type)) + ")");
    }

    /// <summary>A rule's types, normalised as <see cref="Expected"/> writes them: "double F(double, double[])".</summary>
    private static string Declared(IMethodSymbol rule) =>
        FunctionTypes.Shape(rule.ReturnType) + " " + rule.Name + "(" + string.Join(", ", rule.Parameters.Select(p => FunctionTypes.Shape(p.Type))) + ")";
}
