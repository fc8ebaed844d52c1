using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Dsl.Generator.Parsing;

/// <summary>
/// The syntax trees one parse read beyond declarations: the trees whose bodies and initializers
/// it bound (through <see cref="BodySemanticModel"/>) or whose syntax it took. <see cref="ParseCache{T}"/>
/// reuses a parse only while none of them changed.
/// </summary>
/// <remarks>
/// Thread-static because a parse runs on one thread from start to end, and the readers it reaches
/// (the constant folder, the function library, the body parser) have no common object to carry it.
/// </remarks>
internal static class TreesRead
{
    [ThreadStatic] private static HashSet<SyntaxTree>? t_current;

    /// <summary>Notes that the running parse, if any, read <paramref name="tree"/>.</summary>
    public static void Note(SyntaxTree tree) => t_current?.Add(tree);

    /// <summary>Notes every tree that declares part of <paramref name="symbol"/>.</summary>
    public static void NoteDeclarations(ISymbol symbol)
    {
        if (t_current is null) return;
        foreach (SyntaxReference reference in symbol.DeclaringSyntaxReferences)
            t_current.Add(reference.SyntaxTree);
    }

    /// <summary>Runs <paramref name="parse"/> and returns its result with the trees it read.</summary>
    public static (T Result, HashSet<SyntaxTree> Trees) During<T>(Func<T> parse)
    {
        HashSet<SyntaxTree>? outer = t_current;
        var trees = new HashSet<SyntaxTree>();
        t_current = trees;
        try
        {
            return (parse(), trees);
        }
        finally
        {
            t_current = outer;
        }
    }
}
