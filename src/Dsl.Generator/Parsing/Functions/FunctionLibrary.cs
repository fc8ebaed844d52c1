using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir.Functions;
using Dsl.Generator.Transforms;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generator.Parsing.Functions;

/// <summary>
/// Finds the IR of a method a transform or a call needs: a [Differentiable] method is read from
/// its body; a derived method (Grad, ValueAndGrad, Jvp, Vjp) is its source's IR transformed, so
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
        if (HasAttribute(method, "Dsl.DifferentiableAttribute")
            && method.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.Body is not null || m.ExpressionBody is not null) is { } syntax)
            return FunctionReader.Read(this, method, syntax, _compilation.GetSemanticModel(syntax.SyntaxTree));

        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (TransformRequest.Read(attribute) is not { } request)
                continue;
            if (!TransformKinds.IsFunction(request.Kind))
                throw new FunctionSyntaxError(DiagnosticDescriptors.NotDifferentiableAgain, at, method.Name, request.Kind, request.Source);
            IMethodSymbol source = FindSource(method, request.Source, at, request.Kind);
            Function sourceFunction = Resolve(source, at);
            IReadOnlyList<string> wrt = request.WithRespectTo(sourceFunction, at);
            return Derivation.Derive(request.Kind, sourceFunction, wrt, method.Name);
        }
        throw new FunctionSyntaxError(DiagnosticDescriptors.NotDifferentiableCall, at, method.Name,
            $"call Math/MathF functions, [Differentiable] functions, derived functions of the same kinds ([Grad], [ValueAndGrad], [Jvp], [Vjp]), or mark '{method.Name}' [Differentiable]");
    }

    /// <summary>The method a transform attribute names, in the derived method's type.</summary>
    public IMethodSymbol FindSource(IMethodSymbol derived, string name, SyntaxNode at, TransformKind kind)
    {
        IMethodSymbol? source = derived.ContainingType.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault();
        if (source is null || !(HasAttribute(source, "Dsl.DifferentiableAttribute") || source.GetAttributes().Any(a => TransformRequest.Read(a) is not null)))
            throw new FunctionSyntaxError(DiagnosticDescriptors.UnknownSourceFunction, at, kind, name, derived.ContainingType.Name);
        return source;
    }

    public static bool HasAttribute(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == metadataName);
}
