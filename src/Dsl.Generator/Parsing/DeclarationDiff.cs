using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generator.Parsing;

/// <summary>
/// What an edit of one file changed that code in other files could bind to: the names of the
/// members and types it added, removed or re-declared. An edit inside method bodies or non-constant
/// initializers changes no name (C#'s top-level equivalence); an edit that other code could feel
/// without naming it (a using directive, an assembly attribute, a type's base list or attributes,
/// a constant, an operator, a constructor) has no such answer.
/// </summary>
internal static class DeclarationDiff
{
    /// <summary>The names the edit from <paramref name="before"/> to <paramref name="after"/> re-declares, or null where names cannot tell.</summary>
    public static HashSet<string>? ChangedNames(SyntaxTree before, SyntaxTree after)
    {
        if (before.GetRoot() is not CompilationUnitSyntax old || after.GetRoot() is not CompilationUnitSyntax @new)
            return null;
        if (!AllEquivalent(old.Externs, @new.Externs) || !AllEquivalent(old.Usings, @new.Usings) || !AllEquivalent(old.AttributeLists, @new.AttributeLists))
            return null;
        var names = new HashSet<string>();
        return CompareMembers(old.Members, @new.Members, names) ? names : null;
    }

    private static bool CompareMembers(SyntaxList<MemberDeclarationSyntax> before, SyntaxList<MemberDeclarationSyntax> after, HashSet<string> names)
    {
        Dictionary<string, List<MemberDeclarationSyntax>> old = ByKey(before), @new = ByKey(after);
        foreach (string key in old.Keys.Union(@new.Keys))
        {
            List<MemberDeclarationSyntax> a = old.TryGetValue(key, out var x) ? x : new(), b = @new.TryGetValue(key, out var y) ? y : new();
            if (a.Count != b.Count)
            {
                // Declared or removed: everything it declares may now bind, or no longer.
                foreach (MemberDeclarationSyntax member in a.Concat(b))
                    if (!AddDeclaredNames(member, names))
                        return false;
                continue;
            }
            for (int i = 0; i < a.Count; i++)
                if (!CompareMember(a[i], b[i], names))
                    return false;
        }
        return true;
    }

    private static bool CompareMember(MemberDeclarationSyntax before, MemberDeclarationSyntax after, HashSet<string> names)
    {
        switch (before, after)
        {
            case (BaseNamespaceDeclarationSyntax a, BaseNamespaceDeclarationSyntax b):
                return AllEquivalent(a.Externs, b.Externs) && AllEquivalent(a.Usings, b.Usings) && CompareMembers(a.Members, b.Members, names);
            case (TypeDeclarationSyntax a, TypeDeclarationSyntax b):
                // The header decides what the type's members bind to (bases, constraints) and how it is used (attributes).
                return AllEquivalent(a.AttributeLists, b.AttributeLists) && a.Modifiers.Select(m => m.Kind()).SequenceEqual(b.Modifiers.Select(m => m.Kind()))
                    && Equivalent(a.TypeParameterList, b.TypeParameterList) && Equivalent(a.BaseList, b.BaseList)
                    && AllEquivalent(a.ConstraintClauses, b.ConstraintClauses) && Equivalent(a.ParameterList, b.ParameterList)
                    && CompareMembers(a.Members, b.Members, names);
            case (MethodDeclarationSyntax or PropertyDeclarationSyntax or EventDeclarationSyntax or DelegateDeclarationSyntax, _):
            case (FieldDeclarationSyntax or EventFieldDeclarationSyntax, _) when !IsConstant(before):
                if (!SyntaxFactory.AreEquivalent(before, after, topLevel: true))
                    return AddDeclaredNames(before, names) && AddDeclaredNames(after, names);
                return true;
            default:
                // Constants and enums (their values flow into other code unnamed), operators, constructors, ...
                return SyntaxFactory.AreEquivalent(before, after, topLevel: before is not (FieldDeclarationSyntax or EnumDeclarationSyntax));
        }
    }

    private static bool IsConstant(MemberDeclarationSyntax member) =>
        member is FieldDeclarationSyntax field && field.Modifiers.Any(SyntaxKind.ConstKeyword);

    /// <summary>The members grouped by kind and name (members without a name group by kind).</summary>
    private static Dictionary<string, List<MemberDeclarationSyntax>> ByKey(SyntaxList<MemberDeclarationSyntax> members)
    {
        var groups = new Dictionary<string, List<MemberDeclarationSyntax>>();
        foreach (MemberDeclarationSyntax member in members)
        {
            string key = member.Kind() + ":" + (Name(member) ?? "") + (member is TypeDeclarationSyntax { TypeParameterList: { } list } ? "`" + list.Parameters.Count : "");
            if (!groups.TryGetValue(key, out List<MemberDeclarationSyntax>? group))
                groups[key] = group = new List<MemberDeclarationSyntax>();
            group.Add(member);
        }
        return groups;
    }

    /// <summary>The name a member declares, or null for one without (an operator, an indexer, global code).</summary>
    private static string? Name(MemberDeclarationSyntax member) => member switch
    {
        BaseNamespaceDeclarationSyntax n => n.Name.ToString(),
        BaseTypeDeclarationSyntax t => t.Identifier.ValueText,
        DelegateDeclarationSyntax d => d.Identifier.ValueText,
        MethodDeclarationSyntax m => m.Identifier.ValueText,
        PropertyDeclarationSyntax p => p.Identifier.ValueText,
        EventDeclarationSyntax e => e.Identifier.ValueText,
        BaseFieldDeclarationSyntax f => string.Join(",", f.Declaration.Variables.Select(v => v.Identifier.ValueText)),
        _ => null,
    };

    /// <summary>Adds every name <paramref name="member"/> declares, at any depth; false if one cannot be named.</summary>
    private static bool AddDeclaredNames(MemberDeclarationSyntax member, HashSet<string> names)
    {
        switch (member)
        {
            case BaseNamespaceDeclarationSyntax n:
                foreach (string part in n.Name.ToString().Split('.'))
                    names.Add(part.Trim()); // code spells a namespace one identifier at a time
                return n.Members.All(m => AddDeclaredNames(m, names));
            case TypeDeclarationSyntax t:
                AddName(t.Identifier.ValueText, names);
                // Constructors are used through the type's name, added above.
                return t.Members.All(m => m is ConstructorDeclarationSyntax or DestructorDeclarationSyntax || AddDeclaredNames(m, names));
            case EnumDeclarationSyntax e:
                AddName(e.Identifier.ValueText, names);
                return true;
            case BaseFieldDeclarationSyntax f:
                foreach (VariableDeclaratorSyntax v in f.Declaration.Variables)
                    names.Add(v.Identifier.ValueText);
                return true;
            default:
                if (Name(member) is not { } name)
                    return false;
                names.Add(name);
                return true;
        }
    }

    /// <summary>A type <c>FooAttribute</c> is also used as <c>[Foo]</c>.</summary>
    private static void AddName(string name, HashSet<string> names)
    {
        names.Add(name);
        if (name.EndsWith("Attribute") && name.Length > "Attribute".Length)
            names.Add(name.Substring(0, name.Length - "Attribute".Length));
    }

    private static bool Equivalent(SyntaxNode? a, SyntaxNode? b) =>
        a is null ? b is null : b is not null && SyntaxFactory.AreEquivalent(a, b, topLevel: false);

    private static bool AllEquivalent<T>(SyntaxList<T> a, SyntaxList<T> b) where T : SyntaxNode =>
        a.Count == b.Count && a.Zip(b, (x, y) => SyntaxFactory.AreEquivalent(x, y, topLevel: false)).All(same => same);
}
