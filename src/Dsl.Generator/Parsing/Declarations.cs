using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generator.Parsing;

/// <summary>
/// Declarations as they are while the user types: a parameter without its name yet, a line
/// duplicated. C# reports these itself; the generator must write nothing that adds errors of its own.
/// </summary>
internal static class Declarations
{
    /// <summary>A parameter being typed: its type is there, its name not yet (C# reports CS1001); generated code cannot name it.</summary>
    public static bool IsUnnamed(IParameterSymbol parameter) => parameter.Name.Length == 0;

    /// <summary>
    /// A second method of one name and parameter types (C# reports CS0111, or CS0756 for a partial
    /// method): the generator reads the first only, so it writes one body, not two.
    /// </summary>
    public static bool IsCopyOfAnEarlierMethod(IMethodSymbol method)
    {
        foreach (IMethodSymbol earlier in method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>())
        {
            if (SymbolEqualityComparer.Default.Equals(earlier, method))
                return false;
            if (earlier.Parameters.Length == method.Parameters.Length
                && earlier.Parameters.Zip(method.Parameters, (a, b) => a.RefKind == b.RefKind && SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same))
                return true;
        }
        return false;
    }

    /// <summary>A second property of one name (C# reports CS0102, or CS9250 for a partial property): the generator reads the first.</summary>
    public static bool IsCopyOfAnEarlierProperty(IPropertySymbol property) =>
        !SymbolEqualityComparer.Default.Equals(property.ContainingType.GetMembers(property.Name).OfType<IPropertySymbol>().First(), property);

    /// <summary>
    /// A signature with a syntax error in it (<c>(double[] x double[] y)</c>): C# reports it, and a
    /// generated declaration copied from it would not parse.
    /// </summary>
    public static bool HasBrokenSignature(MethodDeclarationSyntax method) =>
        method.ParameterList.GetDiagnostics().Concat(method.ReturnType.GetDiagnostics()).Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>
    /// A partial method written without <c>private</c>, <c>public</c>... : one that returns a value
    /// must have them (C# reports CS8796), and a generated body could not match the declaration.
    /// </summary>
    public static bool LacksAccessibility(IMethodSymbol method) =>
        method.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<MethodDeclarationSyntax>().Any(m => !m.Modifiers.Any(k =>
            k.IsKind(SyntaxKind.PrivateKeyword) || k.IsKind(SyntaxKind.PublicKeyword) || k.IsKind(SyntaxKind.InternalKeyword) || k.IsKind(SyntaxKind.ProtectedKeyword)));

    /// <summary>
    /// A type in a namespace or type whose name is still being typed (<c>namespace A..B</c>): C#
    /// reports it, and a generated part could not reopen the type.
    /// </summary>
    public static bool IsInAHalfTypedScope(INamedTypeSymbol type)
    {
        // An implicit class holds members written outside any type (a closing brace typed too early);
        // its name, <invalid-global-code>, is no file name and no type a generated part can reopen.
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
            if (t.Name.Length == 0 || t.IsImplicitClass || t.IsScriptClass)
                return true;
        for (INamespaceSymbol? n = type.ContainingNamespace; n is not null && !n.IsGlobalNamespace; n = n.ContainingNamespace)
            if (n.Name.Length == 0)
                return true;
        return false;
    }

    /// <summary>"", or "`1", "`2" for the second and later overloads of one name: what keeps their file names apart.</summary>
    public static string OverloadSuffix(IMethodSymbol method)
    {
        int index = method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>()
            .TakeWhile(m => !SymbolEqualityComparer.Default.Equals(m, method)).Count();
        return index == 0 ? "" : "`" + index;
    }
}
