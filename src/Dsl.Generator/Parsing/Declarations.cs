using System.Linq;
using Microsoft.CodeAnalysis;

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

    /// <summary>"", or "`1", "`2" for the second and later overloads of one name: what keeps their file names apart.</summary>
    public static string OverloadSuffix(IMethodSymbol method)
    {
        int index = method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>()
            .TakeWhile(m => !SymbolEqualityComparer.Default.Equals(m, method)).Count();
        return index == 0 ? "" : "`" + index;
    }
}
