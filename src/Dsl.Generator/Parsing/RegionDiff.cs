using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Dsl.Generator.Parsing;

/// <summary>
/// Whether a region a parse read (<see cref="TreesRead"/>) reads the same in an edited file: the
/// declaration at the same place holds the same tokens at the same lines and columns.
/// </summary>
/// <remarks>
/// Same tokens: the same code, whatever the comments and blank space between them say. Same lines
/// and columns: every location a parse took from the region (diagnostics, the <c>File.cs:line</c>
/// comments of generated code) is where a parse of the new text would put it, so a reused parse
/// never points at a stale line (<see cref="Common.LocationInfo"/> compares lines and columns only,
/// and diagnostics are placed from them). An edit that adds or removes a line above the region, or
/// rewrites a comment over several lines inside it, so re-parses it.
/// </remarks>
internal static class RegionDiff
{
    /// <summary>The declaration at <paramref name="region"/>'s place in <paramref name="after"/> if it reads the same, else null.</summary>
    public static SyntaxNode? Unchanged(SyntaxNode region, SyntaxTree after)
    {
        if (region is CompilationUnitSyntax || At(after.GetRoot(), PathOf(region)) is not { } counterpart)
            return null;
        return SameTokensAtSamePlaces(region, counterpart) ? counterpart : null;
    }

    /// <summary>"2.0.1": the index of <paramref name="declaration"/> among its parent's members, and of each enclosing declaration's, outermost first.</summary>
    public static string Key(SyntaxNode declaration)
    {
        var key = new StringBuilder();
        foreach (int index in PathOf(declaration))
            key.Append(key.Length == 0 ? "" : ".").Append(index);
        return key.ToString();
    }

    private static Stack<int> PathOf(SyntaxNode node)
    {
        var path = new Stack<int>();
        for (SyntaxNode current = node; current.Parent is { } parent; current = parent)
            path.Push(current is MemberDeclarationSyntax member ? Members(parent).IndexOf(member) : -1);
        return path;
    }

    private static SyntaxNode? At(SyntaxNode root, Stack<int> path)
    {
        SyntaxNode current = root;
        foreach (int index in path)
        {
            SyntaxList<MemberDeclarationSyntax> members = Members(current);
            if (index < 0 || index >= members.Count)
                return null;
            current = members[index];
        }
        return current;
    }

    private static SyntaxList<MemberDeclarationSyntax> Members(SyntaxNode node) => node switch
    {
        CompilationUnitSyntax unit => unit.Members,
        BaseNamespaceDeclarationSyntax @namespace => @namespace.Members,
        TypeDeclarationSyntax type => type.Members,
        _ => default,
    };

    private static bool SameTokensAtSamePlaces(SyntaxNode before, SyntaxNode after)
    {
        if (before.RawKind != after.RawKind)
            return false;
        TextLineCollection linesBefore = before.SyntaxTree.GetText().Lines, linesAfter = after.SyntaxTree.GetText().Lines;
        // Token to token (missing ones included), which is cheaper than enumerating descendants.
        SyntaxToken x = before.GetFirstToken(includeZeroWidth: true), y = after.GetFirstToken(includeZeroWidth: true);
        SyntaxToken lastBefore = before.GetLastToken(includeZeroWidth: true), lastAfter = after.GetLastToken(includeZeroWidth: true);
        while (true)
        {
            if (x.RawKind != y.RawKind || x.Text != y.Text || linesBefore.GetLinePosition(x.SpanStart) != linesAfter.GetLinePosition(y.SpanStart))
                return false;
            bool endBefore = x == lastBefore, endAfter = y == lastAfter;
            if (endBefore || endAfter)
                return endBefore && endAfter;
            x = x.GetNextToken(includeZeroWidth: true);
            y = y.GetNextToken(includeZeroWidth: true);
        }
    }
}
