using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir.Functions;
using Dsl.Generator.Transforms;
using Microsoft.CodeAnalysis;

namespace Dsl.Generator.Parsing.Functions;

/// <summary>What one transform attribute asks for: its kind, its source function and its options.</summary>
/// <param name="HasAux">Whether the source returns <c>(value, aux)</c> and only the value is differentiated (JAX's <c>has_aux</c>).</param>
internal sealed record TransformRequest(TransformKind Kind, string Source, string? WithRespectToText, bool HasAux)
{
    public static TransformRequest? Read(AttributeData attribute)
    {
        string? name = attribute.AttributeClass?.ToDisplayString();
        foreach (TransformKind kind in System.Enum.GetValues(typeof(TransformKind)).Cast<TransformKind>())
        {
            if (name != TransformKinds.AttributeName(kind)) continue;
            string source = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? "";
            string? wrt = attribute.NamedArguments.FirstOrDefault(a => a.Key == "WithRespectTo").Value.Value as string;
            bool hasAux = attribute.NamedArguments.FirstOrDefault(a => a.Key == "HasAux").Value.Value is true;
            return new TransformRequest(kind, source, wrt, hasAux);
        }
        return null;
    }

    /// <summary>
    /// The C# parameters to differentiate: those named, or the first differentiable one (JAX's
    /// argnums=0). A parameter is differentiable when every value it holds is a double or float (a
    /// tuple of them counts).
    /// </summary>
    public IReadOnlyList<ParameterGroup> WithRespectTo(Function source, SyntaxNode at)
    {
        var differentiable = source.ParameterGroups.Where(g => source.LeavesOf(g).All(p => Types.IsFloat(source[p].Type))).ToList();
        if (WithRespectToText is null)
            return differentiable.Take(1).ToList();
        var chosen = new List<ParameterGroup>();
        foreach (string n in WithRespectToText.Split(',').Select(n => n.Trim()))
            chosen.Add(differentiable.FirstOrDefault(g => g.Name == n)
                ?? throw new FunctionSyntaxError(DiagnosticDescriptors.UnknownWithRespectTo, at, n, source.Name, differentiable.Count == 0
                    ? "none (a tuple counts when all its elements are double or float)"
                    : string.Join(", ", differentiable.Select(p => "'" + p.Name + "'"))));
        if (chosen.GroupBy(g => g.Name).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new FunctionSyntaxError(DiagnosticDescriptors.DuplicateWithRespectTo, at, repeated.Key, source.Name);
        return chosen;
    }
}
