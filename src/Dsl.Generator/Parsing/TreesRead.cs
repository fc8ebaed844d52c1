using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generator.Parsing;

/// <summary>
/// The parts of syntax trees one parse read beyond declarations, as regions: the top-level type
/// declarations whose bodies and initializers it bound (through <see cref="BodySemanticModel"/>)
/// or whose syntax it took, or a whole tree where no type encloses what it read.
/// <see cref="ParseCache{T}"/> reuses a parse only while every region it read is unchanged.
/// </summary>
/// <remarks>
/// Thread-static because a parse runs on one thread from start to end, and the readers it reaches
/// (the constant folder, the function library, the body parser) have no common object to carry it.
/// A region is a whole top-level type (not the member read) because binding one member can read
/// another's syntax in the same type (a partial method's other part, an attribute's target), and
/// types are what the samples put side by side in one file (a [Module] above the [Model] using it).
/// </remarks>
internal static class TreesRead
{
    [ThreadStatic] private static HashSet<SyntaxNode>? t_current;

    /// <summary>Notes that the running parse, if any, read all of <paramref name="tree"/>.</summary>
    public static void Note(SyntaxTree tree) => t_current?.Add(tree.GetRoot());

    /// <summary>Notes that the running parse, if any, read <paramref name="node"/> (so its region).</summary>
    public static void Note(SyntaxNode node) => t_current?.Add(Region(node));

    /// <summary>Notes the region of every declaration of <paramref name="symbol"/>.</summary>
    public static void NoteDeclarations(ISymbol symbol)
    {
        if (t_current is null) return;
        foreach (SyntaxReference reference in symbol.DeclaringSyntaxReferences)
            t_current.Add(Region(reference.GetSyntax()));
    }

    /// <summary>Notes regions another parse read, for a parse that takes its result (a module's reading inside a model's parse).</summary>
    public static void Note(IEnumerable<SyntaxNode> regions) => t_current?.UnionWith(regions);

    /// <summary>Runs <paramref name="parse"/> and returns its result with the regions it read.</summary>
    public static (T Result, HashSet<SyntaxNode> Regions) During<T>(Func<T> parse)
    {
        HashSet<SyntaxNode>? outer = t_current;
        var regions = new HashSet<SyntaxNode>();
        t_current = regions;
        try
        {
            return (parse(), regions);
        }
        finally
        {
            t_current = outer;
        }
    }

    /// <summary>
    /// The outermost type (or delegate) declaration holding <paramref name="node"/>, declared in
    /// the file or a namespace; the tree's root where none does (global statements, assembly attributes).
    /// </summary>
    public static SyntaxNode Region(SyntaxNode node)
    {
        for (SyntaxNode? current = node; current is not null; current = current.Parent)
            if (current is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax && current.Parent is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
                return current;
        return node.SyntaxTree.GetRoot();
    }
}
