using System.IO;
using System.Linq;
using System.Threading;
using Dsl.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// <see cref="ParseCache{T}"/>: a model's last parse is reused when an edit in another file cannot
/// change what the model's code binds to, and the model is parsed again when it can (issue 21).
/// The parse here binds the model's file, as the model parser does, and counts its calls.
/// </summary>
public class ParseCacheTests
{
    private const string ModelPath = "Classifier.cs";
    private const string OtherPath = "Other.cs";

    private static readonly string s_classifier =
        File.ReadAllText(Path.Combine(SnapshotTests.RepositoryRoot(), "samples", "QuickStart", "Classifier.cs"));

    [Fact]
    public void MemberAddedToAClassTheModelDoesNotName_ParseReused()
    {
        const string before = "namespace Elsewhere; public class Unrelated { public int Value => 1; }";
        Assert.Equal(1, ParsesAcrossAnEdit(s_classifier, before, before.Replace("=> 1;", "=> 2; public int Other => 3;")));
    }

    [Fact]
    public void MethodBodyEditedInAnotherFile_ParseReused()
    {
        const string before = "public class Other { public int Count() { return 1; } }";
        Assert.Equal(1, ParsesAcrossAnEdit(s_classifier, before, before.Replace("return 1;", "int two = 2; return two;")));
    }

    [Fact]
    public void MemberNamedLikeAnOpTheModelCallsAdded_ParsedAgain()
    {
        // 'Relu' is spelled in the model's file: a new member of that name could change what the call binds to.
        Assert.Equal(2, ParsesAcrossAnEdit(s_classifier, "public static class Helpers { }", "public static class Helpers { public static int Relu() => 1; }"));
    }

    [Fact]
    public void ConstantChangedInAnotherFile_ParsedAgain()
    {
        // A constant's value reaches code that never spells its name (through another constant).
        Assert.Equal(2, ParsesAcrossAnEdit(s_classifier, "public static class Sizes { public const int A = 16; }", "public static class Sizes { public const int A = 32; }"));
    }

    [Fact]
    public void UsingAddedInAnotherFile_ParsedAgain()
    {
        Assert.Equal(2, ParsesAcrossAnEdit(s_classifier, "public class Other { }", "global using System.Linq; public class Other { }"));
    }

    [Fact]
    public void BodyEditedInAFileTheParseRead_ParsedAgain()
    {
        const string before = "public static class Functions { public static float Twice(float x) { return 2 * x; } }";
        string after = before.Replace("2 * x", "x + x");
        var cache = new ParseCache<object>();
        int parses = 0;
        (CSharpCompilation compilation, SyntaxTree other) = Compile(s_classifier, before);
        (ClassDeclarationSyntax model, ISymbol symbol) = Model(compilation);
        object Parse(CSharpCompilation c)
        {
            parses++;
            TreesRead.Note(c.SyntaxTrees.Single(t => t.FilePath == OtherPath)); // as the function library does for a function it reads
            return new object();
        }

        cache.Get(model, symbol, compilation, () => Parse(compilation), CancellationToken.None);
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText(after, GeneratorHarness.ParseOptions, OtherPath));
        cache.Get(model, symbol, edited, () => Parse(edited), CancellationToken.None);

        Assert.Equal(2, parses);
    }

    /// <summary>How many times the model is parsed: once, then again on the compilation with the other file edited, through one cache.</summary>
    private static int ParsesAcrossAnEdit(string modelText, string other, string otherEdited)
    {
        var cache = new ParseCache<object>();
        int parses = 0;
        (CSharpCompilation compilation, SyntaxTree otherTree) = Compile(modelText, other);
        (ClassDeclarationSyntax model, ISymbol symbol) = Model(compilation);
        object Parse(CSharpCompilation c)
        {
            parses++;
            c.GetSemanticModel(model.SyntaxTree).GetDiagnostics(); // binds the model's bodies, as the parser does
            return new object();
        }

        object first = cache.Get(model, symbol, compilation, () => Parse(compilation), CancellationToken.None);
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(otherTree, CSharpSyntaxTree.ParseText(otherEdited, GeneratorHarness.ParseOptions, OtherPath));
        object second = cache.Get(model, symbol, edited, () => Parse(edited), CancellationToken.None);

        Assert.Equal(parses == 1, ReferenceEquals(first, second));
        return parses;
    }

    private static (CSharpCompilation Compilation, SyntaxTree Other) Compile(string model, string other)
    {
        SyntaxTree otherTree = CSharpSyntaxTree.ParseText(other, GeneratorHarness.ParseOptions, OtherPath);
        return (GeneratorHarness.Compilation(model, ModelPath).AddSyntaxTrees(otherTree), otherTree);
    }

    private static (ClassDeclarationSyntax Node, ISymbol Symbol) Model(CSharpCompilation compilation)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.FilePath == ModelPath);
        ClassDeclarationSyntax node = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single();
        return (node, compilation.GetSemanticModel(tree).GetDeclaredSymbol(node)!);
    }
}
