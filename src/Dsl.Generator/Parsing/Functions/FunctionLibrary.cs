using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir.Functions;
using Dsl.Generator.Transforms;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generator.Parsing.Functions;

/// <summary>
/// Finds the IR of a method a transform or a call needs: a [Differentiable] method is read from
/// its body, or, when it has [CustomVjp]/[CustomJvp] rules, becomes a call of the method carrying
/// the rules; a derived method (Grad, ValueAndGrad, Jvp, Vjp) is its source's IR transformed, so
/// derived functions compose to any order. One library serves one derived method's parse, caching
/// what it reads and refusing recursion.
/// </summary>
internal sealed class FunctionLibrary
{
    private readonly Compilation _compilation;
    private readonly Dictionary<IMethodSymbol, Function> _cache = new(SymbolEqualityComparer.Default);
    private readonly Stack<IMethodSymbol> _resolving = new();

    public FunctionLibrary(Compilation compilation) => _compilation = compilation;

    /// <summary>The IR of <paramref name="method"/>, or a <see cref="FunctionSyntaxError"/> at <paramref name="at"/>.</summary>
    public Function Resolve(IMethodSymbol method, SyntaxNode at)
    {
        method = method.PartialDefinitionPart ?? method;
        if (_cache.TryGetValue(method, out Function? known))
            return known;
        if (_resolving.Contains(method, SymbolEqualityComparer.Default))
            throw new FunctionSyntaxError(DiagnosticDescriptors.RecursiveFunction, at, method.Name, _resolving.Peek().Name);

        _resolving.Push(method);
        try
        {
            Function function = Read(method, at);
            _cache[method] = function;
            return function;
        }
        finally
        {
            _resolving.Pop();
        }
    }

    private Function Read(IMethodSymbol method, SyntaxNode at)
    {
        // A parameter still being typed: C# reports its missing name (CS1001), and no generated code can refer to it.
        if (method.Parameters.Any(Declarations.IsUnnamed))
            throw new FunctionSyntaxError(DiagnosticDescriptors.UnsupportedParameterType, at, method.Name, "a parameter without a name") { ReportedElsewhere = true };
        bool differentiable = HasAttribute(method, "Dsl.DifferentiableAttribute");
        if (CustomRules.HasRules(method))
            return WithRules(method, at);
        if ((differentiable || CustomRules.IsRule(method)) && Body(method) is { } syntax)
        {
            SemanticModel model = BodySemanticModel.For(_compilation, syntax);
            // A body C# cannot bind (an operator swapped while typing: 'x && y' on doubles): C# reports
            // it there, and a derivative written from it would only repeat the error in generated code.
            if (model.GetDiagnostics(syntax.Span).Any(d => d.Severity == DiagnosticSeverity.Error))
                throw new FunctionSyntaxError(DiagnosticDescriptors.UnsupportedParameterType, at, method.Name, "a body with C# errors") { ReportedElsewhere = true };
            return FunctionReader.Read(this, method, syntax, model);
        }

        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (TransformRequest.Read(attribute) is not { } request)
                continue;
            if (!TransformKinds.IsFunction(request.Kind))
                throw new FunctionSyntaxError(DiagnosticDescriptors.NotDifferentiableAgain, at, method.Name, request.Kind, request.Source);
            IMethodSymbol source = FindSource(method, request.Source, at, request.Kind);
            Function sourceFunction = Resolve(source, at);
            IReadOnlyList<ParameterGroup> wrt = request.WithRespectTo(sourceFunction, at);
            if (request.HasAux && Derivation.AuxLayout(sourceFunction) is null)
                throw new FunctionSyntaxError(DiagnosticDescriptors.HasAuxWithoutPair, at, request.Kind, request.Source, source.ReturnType.ToDisplayString());
            // A gradient of a function without a scalar result has no derivation: the method's own
            // pipeline reports it at its declaration (DSL0204), so here it only stops the caller's.
            if (Derivation.LacksScalarResult(request.Kind, request.HasAux, sourceFunction))
                throw new FunctionSyntaxError(DiagnosticDescriptors.TransformSignatureMismatch, at, method.Name, request.Kind, request.Source, "a scalar result") { ReportedElsewhere = true };
            Function derived = Derivation.Derive(request.Kind, sourceFunction, wrt, method.Name, request.HasAux);
            // Its parameters go by the names the declaration gives them, for a WithRespectTo that names them.
            return derived.ParameterGroups.Count != method.Parameters.Length ? derived : derived with
            {
                ParameterGroups = derived.ParameterGroups.Select((g, i) => g with { Name = method.Parameters[i].Name }).ToEquatableArray(),
            };
        }
        throw new FunctionSyntaxError(DiagnosticDescriptors.NotDifferentiableCall, at, method.Name,
            $"call Math/MathF functions, [Differentiable] functions, derived functions of the same kinds ([Grad], [ValueAndGrad], [Jvp], [Vjp]), or mark '{method.Name}' [Differentiable]");
    }

    /// <summary>
    /// A function with custom rules, as the transforms see it: one call of the method (whose body
    /// is not differentiated, only run), with the rules read from their bodies beside it.
    /// </summary>
    private Function WithRules(IMethodSymbol method, SyntaxNode at)
    {
        CustomRule rule = Rules(method, at);
        var b = new FunctionBuilder();
        var parameters = new List<string>();
        foreach (IParameterSymbol p in method.Parameters)
        {
            var (type, isArray) = FunctionTypes.Of(p.Type)!.Value;
            parameters.Add(b.Fresh(p.Name, type, isArray));
        }
        Ir.DType resultType = FunctionTypes.Scalar(method.ReturnType)!.Value;
        string result = b.Fresh("result", resultType);
        b.Nodes.Source = method.Locations.FirstOrDefault().ToInfo();
        int call = b.Nodes.Call(rule.Function, resultType, parameters.Select(b.Read).ToArray());
        b.AddRules(new[] { rule });
        var body = new Block(EquatableArray.Of<Statement>(new Declare(result, call, b.Nodes.Source)));
        return b.Build(method.Name, parameters, body, new[] { result });
    }

    /// <summary>The checked rules of <paramref name="function"/>; a broken rule is reported by the rule pipeline, not here.</summary>
    private CustomRule Rules(IMethodSymbol function, SyntaxNode at)
    {
        Function? Rule(string attribute)
        {
            IReadOnlyList<IMethodSymbol> rules = CustomRules.RulesFor(function, attribute);
            if (rules.Any(r => CustomRules.Check(r, CustomRules.RuleAttribute(r, attribute)!, at) is not null))
                throw new FunctionSyntaxError(DiagnosticDescriptors.CustomRuleSignatureMismatch, at, function.Name) { ReportedElsewhere = true };
            return rules.Count == 0 ? null : Resolve(rules[0], at);
        }
        Function? vjp = Rule(CustomRules.VjpAttribute), jvp = Rule(CustomRules.JvpAttribute);
        string name = function.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + function.Name;
        return new CustomRule(name, vjp, jvp);
    }

    /// <summary>The method a transform attribute names, in the derived method's type.</summary>
    public IMethodSymbol FindSource(IMethodSymbol derived, string name, SyntaxNode at, TransformKind kind)
    {
        IMethodSymbol? source = derived.ContainingType.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault();
        if (source is not null && !HasAttribute(source, "Dsl.DifferentiableAttribute") && CustomRules.HasRules(source))
            throw new FunctionSyntaxError(DiagnosticDescriptors.CustomRuleTarget, at, kind, name) { ReportedElsewhere = true };
        if (source is null || !(HasAttribute(source, "Dsl.DifferentiableAttribute") || source.GetAttributes().Any(a => TransformRequest.Read(a) is not null)))
            throw new FunctionSyntaxError(DiagnosticDescriptors.UnknownSourceFunction, at, kind, name, derived.ContainingType.Name);
        return source;
    }

    private static MethodDeclarationSyntax? Body(IMethodSymbol method)
    {
        TreesRead.NoteDeclarations(method);
        return method.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(m => m.Body is not null || m.ExpressionBody is not null);
    }

    public static bool HasAttribute(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == metadataName);
}
