using Dsl.Generator.Ir;
using Microsoft.CodeAnalysis;

namespace Dsl.Generator.Parsing.Functions;

/// <summary>The C# types a differentiable function may use, as the IR's element types.</summary>
internal static class FunctionTypes
{
    /// <summary>The element type and arrayness of a parameter, local or result type, or null if unsupported.</summary>
    public static (DType Type, bool IsArray)? Of(ITypeSymbol type)
    {
        if (Scalar(type) is DType scalar)
            return (scalar, false);
        if (type is IArrayTypeSymbol { Rank: 1 } array && Scalar(array.ElementType) is DType element and not DType.Bool)
            return (element, true);
        if (type is INamedTypeSymbol { Name: "ReadOnlySpan" or "Span", TypeArguments.Length: 1 } span
            && span.ContainingNamespace.ToDisplayString() == "System"
            && Scalar(span.TypeArguments[0]) is DType spanned and not DType.Bool)
            return (spanned, true);
        return null;
    }

    public static DType? Scalar(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Double => DType.F64,
        SpecialType.System_Single => DType.F32,
        SpecialType.System_Int32 => DType.I32,
        SpecialType.System_Boolean => DType.Bool,
        _ => null,
    };
}
