using System.Linq;
using System.Threading;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Parsing.Functions;
using Microsoft.CodeAnalysis;

namespace Dsl.Generator.Parsing;

/// <summary>
/// Checks one method marked [CustomVjp] or [CustomJvp] against the function it names, so a broken
/// rule is reported once, at the rule, whether or not a derived method reaches the function yet.
/// </summary>
internal static class CustomRuleParser
{
    public static EquatableArray<DiagnosticInfo> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var rule = (IMethodSymbol)context.TargetSymbol;
        try
        {
            AttributeData attribute = context.Attributes[0];
            SyntaxNode at = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) ?? context.TargetNode;
            return CustomRules.Check(rule, attribute, at) is { } problem ? EquatableArray.Of(problem) : EquatableArray<DiagnosticInfo>.Empty;
        }
        catch (System.Exception e) when (e is not System.OperationCanceledException)
        {
            return EquatableArray.Of(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, rule.Locations.FirstOrDefault().ToInfo(),
                "checking the rule " + rule.Name, e.GetType().Name + ": " + e.Message));
        }
    }
}
