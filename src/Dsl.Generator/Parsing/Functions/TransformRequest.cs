using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir.Functions;
using Dsl.Generator.Transforms;
using Microsoft.CodeAnalysis;

namespace Dsl.Generator.Parsing.Functions;

/// <summary>What one transform attribute asks for: its kind, its source function and its options.</summary>
internal sealed record TransformRequest(TransformKind Kind, string Source, string? WithRespectToText)
{
    public static TransformRequest? Read(AttributeData attribute)
    {
        string? name = attribute.AttributeClass?.ToDisplayString();
        foreach (TransformKind kind in System.Enum.GetValues(typeof(TransformKind)).Cast<TransformKind>())
        {
            if (name != TransformKinds.AttributeName(kind)) continue;
            string source = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? "";
            string? wrt = attribute.NamedArguments.FirstOrDefault(a => a.Key == "WithRespectTo").Value.Value as string;
            return new TransformRequest(kind, source, wrt);
        }
        return null;
    }

    /// <summary>The parameters to differentiate, by IR name: those named, or the first (JAX's argnums=0).</summary>
    public IReadOnlyList<string> WithRespectTo(Function source, SyntaxNode at)
    {
        var differentiable = source.Parameters.Where(p => Types.IsFloat(source[p].Type)).ToList();
        if (WithRespectToText is null)
            return differentiable.Take(1).ToList();
        var names = WithRespectToText.Split(',').Select(n => n.Trim()).ToList();
        foreach (string n in names.Where(n => !differentiable.Contains(n)))
            throw new FunctionSyntaxError(DiagnosticDescriptors.UnknownWithRespectTo, at, n, source.Name, string.Join(", ", differentiable.Select(p => "'" + p + "'")));
        if (names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new FunctionSyntaxError(DiagnosticDescriptors.DuplicateWithRespectTo, at, repeated.Key, source.Name);
        return names;
    }
}
