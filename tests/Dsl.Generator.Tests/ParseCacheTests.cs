using System;
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

    // ---- Edits in the parsed declaration's own file (the Gpt sample: the [Module] Block above the [Model] Gpt) ----

    private const string GptPath = "Gpt.cs";

    private static readonly string s_gpt =
        File.ReadAllText(Path.Combine(SnapshotTests.RepositoryRoot(), "samples", "Gpt", "Model", "Gpt.cs"));

    [Fact]
    public void ModelBodyEditedBelowTheModule_ModuleParseReused() =>
        Assert.Equal(1, ParsesOfAcrossAnEdit("Block", Replace(s_gpt, "Log(\"train_loss\", loss);", "Log(\"loss\", loss);")));

    [Fact]
    public void CommentAtTheEndOfAModuleLineReworded_ModuleAndModelParsesReused()
    {
        string edited = Replace(s_gpt, "// x: [Context, Width]", "// x: the residual stream, [Context, Width]");
        Assert.Equal(1, ParsesOfAcrossAnEdit("Block", edited));
        Assert.Equal(1, ParsesOfAcrossAnEdit("Gpt", edited, reads: "Block"));
    }

    [Fact]
    public void ModuleBodyEdited_ModuleAndTheModelReadingItParsedAgain()
    {
        string edited = Replace(s_gpt, "x = x + Drop(Attention(Norm1(x)));", "x = x + Attention(Norm1(x));");
        Assert.Equal(2, ParsesOfAcrossAnEdit("Block", edited));
        Assert.Equal(2, ParsesOfAcrossAnEdit("Gpt", edited, reads: "Block"));
    }

    [Fact]
    public void ModelBodyEdited_ModelParsedAgain() =>
        Assert.Equal(2, ParsesOfAcrossAnEdit("Gpt", Replace(s_gpt, "Log(\"train_loss\", loss);", "Log(\"loss\", loss);"), reads: "Block"));

    [Fact]
    public void LineAddedAboveTheModule_ParsedAgain()
    {
        // Same code, one line lower: a reused parse would place its locations one line too high.
        Assert.Equal(2, ParsesOfAcrossAnEdit("Block", Replace(s_gpt, "[Module]", "// Blocks are stacked by Gpt below.\n[Module]")));
    }

    [Fact]
    public void CommentInsideTheModuleSplitOverTwoLines_ParsedAgain() =>
        Assert.Equal(2, ParsesOfAcrossAnEdit("Block", Replace(s_gpt, "// x: [Context, Width]", "// x: the residual stream,\n    // [Context, Width]")));

    [Fact]
    public void LineAddedBelowTheModule_ParseReused() =>
        Assert.Equal(1, ParsesOfAcrossAnEdit("Block", Replace(s_gpt, "    public Tensor TrainingStep(", "\n    public Tensor TrainingStep(")));

    /// <summary>
    /// How many times the class <paramref name="name"/> of the Gpt sample is parsed: once, then
    /// again after <paramref name="editedGpt"/> replaced the file. The parse binds the class's
    /// [Forward] (and <paramref name="reads"/>'s, as a model reads the modules it holds).
    /// </summary>
    private static int ParsesOfAcrossAnEdit(string name, string editedGpt, string? reads = null)
    {
        var cache = new ParseCache<object>();
        int parses = 0;
        CSharpCompilation compilation = GeneratorHarness.Compilation(s_gpt, GptPath);
        object Parse(CSharpCompilation c)
        {
            parses++;
            foreach (string read in reads is null ? new[] { name } : new[] { name, reads })
            {
                MethodDeclarationSyntax forward = Class(c, read).Node.Members.OfType<MethodDeclarationSyntax>().First(m => m.Identifier.Text == "Forward");
                BodySemanticModel.For(c, forward).GetDiagnostics(forward.Span);
            }
            return new object();
        }

        (ClassDeclarationSyntax node, ISymbol symbol) = Class(compilation, name);
        object first = cache.Get(node, symbol, compilation, () => Parse(compilation), CancellationToken.None);
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(t => t.FilePath == GptPath),
            CSharpSyntaxTree.ParseText(editedGpt, GeneratorHarness.ParseOptions, GptPath));
        (node, symbol) = Class(edited, name);
        object second = cache.Get(node, symbol, edited, () => Parse(edited), CancellationToken.None);

        Assert.Equal(parses == 1, ReferenceEquals(first, second));
        return parses;
    }

    private static (ClassDeclarationSyntax Node, ISymbol Symbol) Class(CSharpCompilation compilation, string name)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.FilePath == GptPath);
        ClassDeclarationSyntax node = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.Text == name);
        return (node, compilation.GetSemanticModel(tree).GetDeclaredSymbol(node)!);
    }

    private static string Replace(string text, string oldValue, string newValue)
    {
        Assert.Contains(oldValue, text, StringComparison.Ordinal);
        return text.Replace(oldValue, newValue, StringComparison.Ordinal);
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
