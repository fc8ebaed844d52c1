using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generator.Tests.Fuzzing;

/// <summary>
/// Edits of the kind a user makes while typing, applied to a model's source at random but
/// reproducibly: the same seed source and the same <see cref="Random"/> seed give the same mutant.
/// </summary>
internal static class ModelMutator
{
    /// <summary>Names a user might pick that the generated program or object already uses (or that C# reserves on every object).</summary>
    private static readonly string[] s_generatedMemberNames =
    {
        "Equals", "GetHashCode", "ToString", "GetType", "Finalize", "MemberwiseClone", "Dispose",
        "TrainStep", "Predict", "EvalStep", "ValueAndGrad", "Parameters", "Metrics", "Device", "MaxBatch",
        "OptimizerState", "DropoutSeed", "Forward", "TrainingStep", "ValidationStep", "Optimizer", "Program",
        "Compile", "Create", "Load", "Save", "Step", "Batch", "Tensor", "Label", "x", "y", "loss", "value",
    };

    private static readonly string[] s_integers = { "0", "1", "-1", "2", "3", "7", "64", "100000", "1 << 20", "int.MaxValue", "int.MinValue", "2147483647", "-2147483648" };

    private static readonly string[] s_binaryOperators = { "+", "-", "*", "/", "%", "==", "<", ">", "&&", "||" };

    private static readonly string[] s_attributeNames =
    {
        "Model", "Module", "Forward", "TrainingStep", "ValidationStep", "Optimizer", "Dense", "Shape", "Repeat",
        "Differentiable", "Grad", "ValueAndGrad", "Jacobian", "Hessian", "Jvp", "Vjp", "Vmap", "CustomVjp", "CustomJvp",
    };

    private delegate string? Mutation(string source, SyntaxNode root, Random random);

    private static readonly (string Name, Mutation Apply)[] s_mutations =
    {
        ("delete a token", DeleteToken),
        ("duplicate a token", DuplicateToken),
        ("swap two tokens", SwapTokens),
        ("delete a line", DeleteLine),
        ("duplicate a line", DuplicateLine),
        ("swap two lines", SwapLines),
        ("change an integer", ChangeInteger),
        ("change an integer", ChangeInteger),
        ("rename one use", RenameOneUse),
        ("rename everywhere", RenameEverywhere),
        ("rename to a generated member", RenameToGeneratedMember),
        ("rename to a generated member", RenameToGeneratedMember),
        ("change an attribute", ChangeAttributeName),
        ("change an attribute argument", ChangeAttributeArgument),
        ("drop a parameter name", DropParameterName),
        ("swap an operator", SwapOperator),
        ("swap arguments", SwapArguments),
    };

    /// <summary>One to three edits of <paramref name="source"/>, and what they were.</summary>
    public static (string Mutant, string Edits) Mutate(string source, Random random)
    {
        int count = random.Next(10) switch { < 7 => 1, < 9 => 2, _ => 3 };
        var edits = new List<string>();
        for (int i = 0; i < count; i++)
        {
            SyntaxNode root = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions).GetRoot();
            var (name, apply) = s_mutations[random.Next(s_mutations.Length)];
            string? mutant = apply(source, root, random);
            if (mutant is null || mutant == source)
                continue;
            source = mutant;
            edits.Add(name);
        }
        return (source, string.Join(", ", edits));
    }

    // ---- Tokens ----

    private static SyntaxToken? PickToken(SyntaxNode root, Random random, Func<SyntaxToken, bool>? where = null)
    {
        var tokens = root.DescendantTokens().Where(t => !t.IsKind(SyntaxKind.EndOfFileToken) && (where is null || where(t))).ToList();
        return tokens.Count == 0 ? null : tokens[random.Next(tokens.Count)];
    }

    private static string Replace(string source, Microsoft.CodeAnalysis.Text.TextSpan span, string text) =>
        source.Substring(0, span.Start) + text + source.Substring(span.End);

    private static string? DeleteToken(string source, SyntaxNode root, Random random) =>
        PickToken(root, random) is { } t ? Replace(source, t.Span, "") : null;

    private static string? DuplicateToken(string source, SyntaxNode root, Random random) =>
        PickToken(root, random) is { } t ? Replace(source, t.Span, t.Text + " " + t.Text) : null;

    private static string? SwapTokens(string source, SyntaxNode root, Random random)
    {
        if (PickToken(root, random) is not { } first || first.GetNextToken() is not { RawKind: not 0 } second || second.IsKind(SyntaxKind.EndOfFileToken))
            return null;
        string between = source.Substring(first.Span.End, second.SpanStart - first.Span.End);
        return Replace(source, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(first.SpanStart, second.Span.End), second.Text + between + first.Text);
    }

    private static string? ChangeInteger(string source, SyntaxNode root, Random random) =>
        PickToken(root, random, t => t.IsKind(SyntaxKind.NumericLiteralToken) && t.Value is int) is { } t
            ? Replace(source, t.Span, s_integers[random.Next(s_integers.Length)])
            : null;

    private static string? SwapOperator(string source, SyntaxNode root, Random random) =>
        PickToken(root, random, t => t.Parent is BinaryExpressionSyntax b && b.OperatorToken == t) is { } t
            ? Replace(source, t.Span, s_binaryOperators[random.Next(s_binaryOperators.Length)])
            : null;

    // ---- Identifiers ----

    private static string? RenameOneUse(string source, SyntaxNode root, Random random)
    {
        var names = root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.Text).Distinct().ToList();
        return PickToken(root, random, t => t.IsKind(SyntaxKind.IdentifierToken)) is { } t && names.Count > 1
            ? Replace(source, t.Span, names[random.Next(names.Count)])
            : null;
    }

    /// <summary>Renames one identifier at all its uses, as an IDE rename does: the code stays consistent, the name may now collide.</summary>
    private static string? RenameEverywhere(string source, SyntaxNode root, Random random)
    {
        var names = root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.Text).Distinct().ToList();
        if (names.Count < 2)
            return null;
        string from = names[random.Next(names.Count)];
        string to = random.Next(2) == 0 ? names[random.Next(names.Count)] : s_generatedMemberNames[random.Next(s_generatedMemberNames.Length)];
        return RenameAll(source, root, from, to);
    }

    /// <summary>Renames a method the user declared, at all its uses, to a name the generated code uses.</summary>
    private static string? RenameToGeneratedMember(string source, SyntaxNode root, Random random)
    {
        var methods = root.DescendantNodes().OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.Text).Distinct().ToList();
        if (methods.Count == 0)
            return null;
        return RenameAll(source, root, methods[random.Next(methods.Count)], s_generatedMemberNames[random.Next(s_generatedMemberNames.Length)]);
    }

    private static string RenameAll(string source, SyntaxNode root, string from, string to)
    {
        foreach (SyntaxToken t in root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken) && t.Text == from).Reverse())
            source = Replace(source, t.Span, to);
        return source;
    }

    private static string? DropParameterName(string source, SyntaxNode root, Random random)
    {
        var parameters = root.DescendantNodes().OfType<ParameterSyntax>().Where(p => p.Type is not null && !p.Identifier.IsMissing).ToList();
        if (parameters.Count == 0)
            return null;
        return Replace(source, parameters[random.Next(parameters.Count)].Identifier.Span, "");
    }

    // ---- Attributes and arguments ----

    private static string? ChangeAttributeName(string source, SyntaxNode root, Random random)
    {
        var attributes = root.DescendantNodes().OfType<AttributeSyntax>().ToList();
        return attributes.Count == 0
            ? null
            : Replace(source, attributes[random.Next(attributes.Count)].Name.Span, s_attributeNames[random.Next(s_attributeNames.Length)]);
    }

    private static string? ChangeAttributeArgument(string source, SyntaxNode root, Random random)
    {
        var arguments = root.DescendantNodes().OfType<AttributeArgumentSyntax>().ToList();
        if (arguments.Count == 0)
            return null;
        AttributeArgumentSyntax argument = arguments[random.Next(arguments.Count)];
        var names = root.DescendantNodes().OfType<MethodDeclarationSyntax>().Select(m => "nameof(" + m.Identifier.Text + ")")
            .Concat(s_integers).Concat(new[] { "null", "\"\"", "\"x\"", "true", "0.5f", "1, 2", "HasAux = true" }).ToList();
        return Replace(source, argument.Expression.Span, names[random.Next(names.Count)]);
    }

    private static string? SwapArguments(string source, SyntaxNode root, Random random)
    {
        var lists = root.DescendantNodes().OfType<ArgumentListSyntax>().Where(l => l.Arguments.Count >= 2).ToList();
        if (lists.Count == 0)
            return null;
        ArgumentListSyntax list = lists[random.Next(lists.Count)];
        int i = random.Next(list.Arguments.Count - 1);
        ArgumentSyntax a = list.Arguments[i], b = list.Arguments[i + 1];
        string between = source.Substring(a.Span.End, b.SpanStart - a.Span.End);
        return Replace(source, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(a.SpanStart, b.Span.End), b.ToString() + between + a.ToString());
    }

    // ---- Lines ----

    /// <summary>A line with code on it: editing a blank or comment line tells nothing.</summary>
    private static int? PickCodeLine(List<string> lines, Random random, int last)
    {
        var code = Enumerable.Range(0, last).Where(i => lines[i].Trim() is { Length: > 0 } t && !t.StartsWith("//") && !t.StartsWith("///")).ToList();
        return code.Count == 0 ? null : code[random.Next(code.Count)];
    }

    private static string? DeleteLine(string source, SyntaxNode root, Random random)
    {
        var lines = source.Split('\n').ToList();
        if (PickCodeLine(lines, random, lines.Count) is not int i)
            return null;
        lines.RemoveAt(i);
        return string.Join("\n", lines);
    }

    private static string? DuplicateLine(string source, SyntaxNode root, Random random)
    {
        var lines = source.Split('\n').ToList();
        if (PickCodeLine(lines, random, lines.Count) is not int i)
            return null;
        lines.Insert(i, lines[i]);
        return string.Join("\n", lines);
    }

    private static string? SwapLines(string source, SyntaxNode root, Random random)
    {
        var lines = source.Split('\n').ToList();
        if (PickCodeLine(lines, random, lines.Count - 1) is not int i)
            return null;
        (lines[i], lines[i + 1]) = (lines[i + 1], lines[i]);
        return string.Join("\n", lines);
    }
}
