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
}
