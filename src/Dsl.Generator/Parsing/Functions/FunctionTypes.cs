using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;
using Dsl.Generator.Ir.Functions;
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

    /// <summary>A result of a function as the IR holds it: one scalar or array of a (possibly nested) tuple.</summary>
    public sealed record Leaf(DType Type, bool IsArray, string Name);

    /// <summary>
    /// The leaves of a result type in order, with their <see cref="ResultLayout"/>: one leaf for a
    /// scalar or array, one per element (depth first) for a tuple; null if any part is unsupported.
    /// Leaves are named after the tuple's element names (<c>Value</c> becomes <c>value</c>), or
    /// <paramref name="name"/> with a number.
    /// </summary>
    public static (List<Leaf> Leaves, string Layout)? Flatten(ITypeSymbol type, string name)
    {
        var leaves = new List<Leaf>();
        string? layout = Flatten(type, name, leaves);
        return layout is null ? null : (leaves, layout);
    }

    private static string? Flatten(ITypeSymbol type, string name, List<Leaf> leaves)
    {
        if (type is not INamedTypeSymbol { IsTupleType: true } tuple)
        {
            if (Of(type) is not var (element, isArray))
                return null;
            leaves.Add(new Leaf(element, isArray, name));
            return ResultLayout.Single;
        }
        var parts = new List<string>();
        for (int i = 0; i < tuple.TupleElements.Length; i++)
        {
            IFieldSymbol e = tuple.TupleElements[i];
            string leafName = e.IsExplicitlyNamedTupleElement ? char.ToLowerInvariant(e.Name[0]) + e.Name.Substring(1) : name + "_" + (i + 1);
            string? part = Flatten(e.Type, leafName, leaves);
            if (part is null) return null;
            parts.Add(part);
        }
        return ResultLayout.Tuple(parts);
    }

    /// <summary>How C# reads each leaf of a value named <paramref name="name"/>: <c>p</c>, or <c>p.R</c>, <c>p.Item2.Item1</c> for a tuple's.</summary>
    public static IEnumerable<string> LeafAccess(ITypeSymbol type, string name) =>
        type is INamedTypeSymbol { IsTupleType: true } tuple
            ? tuple.TupleElements.SelectMany((e, i) => LeafAccess(e.Type, name + "." + (e.IsExplicitlyNamedTupleElement ? e.Name : "Item" + (i + 1))))
            : new[] { name };

    /// <summary>How many IR values a type stands for: 1, or the leaves of a tuple.</summary>
    public static int LeafCount(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsTupleType: true } tuple ? tuple.TupleElements.Sum(e => LeafCount(e.Type)) : 1;

    public static bool IsTuple(ITypeSymbol? type) => type is INamedTypeSymbol { IsTupleType: true };

    /// <summary>A type as signature checks compare it: spans read as arrays, tuple names dropped.</summary>
    public static string Shape(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { IsTupleType: true } tuple)
            return "(" + string.Join(", ", tuple.TupleElements.Select(e => Shape(e.Type))) + ")";
        if (Of(type) is var (element, isArray))
            return Types.CSharp(element) + (isArray ? "[]" : "");
        if (type is IArrayTypeSymbol array)
            return Types.ArrayOf(Shape(array.ElementType), "[" + new string(',', array.Rank - 1) + "]");
        return type.ToDisplayString();
    }
}
