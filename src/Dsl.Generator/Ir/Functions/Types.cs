using System;

namespace Dsl.Generator.Ir.Functions;

/// <summary>The C# spelling of the scalar functions' element types.</summary>
internal static class Types
{
    public static string CSharp(DType type) => type switch
    {
        DType.F64 => "double",
        DType.F32 => "float",
        DType.I32 => "int",
        DType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool IsFloat(DType type) => type is DType.F64 or DType.F32;

    /// <summary>
    /// The C# spelling of an array of <paramref name="element"/> with the rank specifier
    /// <paramref name="rank"/> (<c>[]</c>, <c>[,]</c>, or a creation's <c>[n]</c>): it goes before
    /// the element's own, as C# writes an array of <c>double[,]</c> <c>double[][,]</c>.
    /// </summary>
    public static string ArrayOf(string element, string rank)
    {
        int depth = 0;
        for (int i = 0; i < element.Length; i++)
        {
            char c = element[i];
            if (c is '(' or '<') depth++;
            else if (c is ')' or '>') depth--;
            else if (c == '[' && depth == 0) return element.Substring(0, i) + rank + element.Substring(i);
        }
        return element + rank;
    }
}
