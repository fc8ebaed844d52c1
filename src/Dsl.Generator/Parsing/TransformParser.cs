using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Dsl.Generator.Autodiff.Functions;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Fusion.Functions;
using Dsl.Generator.Ir.Functions;
using Dsl.Generator.Parsing.Functions;
using Dsl.Generator.Specs;
using Dsl.Generator.Transforms;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generator.Parsing;

/// <summary>
/// Parses one method carrying a transform attribute: reads its source function (and everything
/// that calls into), derives the IR, and checks the partial declaration against the signature the
/// transform gives. Every failure is a diagnostic at the user's line.
/// </summary>
internal static class TransformParser
{
    public static DerivedMethodResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        var syntax = (MethodDeclarationSyntax)context.TargetNode;
        AttributeData attribute = context.Attributes[0];
        LocationInfo? location = syntax.Identifier.GetLocation().ToInfo();
        try
        {
            // A signature still being typed, or a copy of an earlier declaration: C# reports it, and no body could match or would be one too many.
            if (method.Parameters.Any(Declarations.IsUnnamed) || Declarations.HasBrokenSignature(syntax)
                || (!method.ReturnsVoid && Declarations.LacksAccessibility(method))
                || Declarations.IsCopyOfAnEarlierMethod(method) || Declarations.IsInAHalfTypedScope(method.ContainingType))
                return new DerivedMethodResult(null, EquatableArray<DiagnosticInfo>.Empty);
            TransformRequest request = TransformRequest.Read(attribute)!;
            DerivedMethodResult Failed(DerivedMethodResult r) => WithFallback(r, method, syntax);
            if (!method.IsStatic || !method.IsPartialDefinition)
                return Failed(Fail(DiagnosticDescriptors.TransformSignatureMismatch, location, method.Name, TransformKinds.Describe(request.Kind), request.Source,
                    "declare it 'static partial' without a body; the generator writes the body"));
            var library = new FunctionLibrary(context.SemanticModel.Compilation);
            SyntaxNode at = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) ?? syntax;
            IMethodSymbol source = library.FindSource(method, request.Source, at, request.Kind);
            cancellationToken.ThrowIfCancellationRequested();
            return Failed(request.Kind == TransformKind.Vmap
                ? Vmap(method, syntax, source, location)
                : Derive(method, syntax, request, source, library.Resolve(source, at), location, at));
        }
        catch (FunctionSyntaxError e) when (e.ReportedElsewhere)
        {
            return WithFallback(new DerivedMethodResult(null, EquatableArray<DiagnosticInfo>.Empty), method, syntax);
        }
        catch (MissingJvpRule e)
        {
            return WithFallback(Fail(DiagnosticDescriptors.ForwardModeNeedsCustomJvp, location,
                TransformKinds.Describe(TransformRequest.Read(attribute)!.Kind), method.Name, e.Function.Substring(e.Function.LastIndexOf('.') + 1)), method, syntax);
        }
        catch (FunctionSyntaxError e)
        {
            return WithFallback(new DerivedMethodResult(null, EquatableArray.Of(DiagnosticInfo.Create(e.Descriptor, e.Location.ToInfo(), e.Arguments))), method, syntax);
        }
        catch (System.Exception e) when (e is not System.OperationCanceledException)
        {
            return WithFallback(Fail(DiagnosticDescriptors.InternalError, location, "deriving " + method.Name, e.GetType().Name + ": " + e.Message), method, syntax);
        }
    }

    /// <summary>A failed parse still gives the partial method a body, one that throws, when it is a partial definition.</summary>
    private static DerivedMethodResult WithFallback(DerivedMethodResult result, IMethodSymbol method, MethodDeclarationSyntax syntax)
    {
        if (result.Spec is not null || !method.IsPartialDefinition || method.PartialImplementationPart is not null)
            return result;
        DerivedMethodSpec shape = Success(method, syntax, TransformKind.Grad, "", null, new List<Function>(), 0,
            EquatableArray<bool>.Empty, EquatableArray<string>.Empty).Spec!;
        return result with { Fallback = shape };
    }

    private static DerivedMethodResult Derive(IMethodSymbol method, MethodDeclarationSyntax syntax, TransformRequest request,
        IMethodSymbol sourceMethod, Function source, LocationInfo? location, SyntaxNode at)
    {
        IReadOnlyList<ParameterGroup> wrt = request.WithRespectTo(source, at);
        Function? function = null;
        var helpers = new List<Function>();
        TransformKind kind = request.Kind;
        string expectedReturn;
        IEnumerable<string> expectedParameters;

        if (TransformKinds.IsFunction(request.Kind))
        {
            if (request.Kind is TransformKind.Grad or TransformKind.ValueAndGrad)
            {
                if (request.HasAux && Derivation.AuxLayout(source) is null)
                    return Fail(DiagnosticDescriptors.HasAuxWithoutPair, at.GetLocation().ToInfo(), request.Kind, request.Source, sourceMethod.ReturnType.ToDisplayString());
                if (Derivation.LacksScalarResult(request.Kind, request.HasAux, source))
                    return Fail(DiagnosticDescriptors.TransformSignatureMismatch, location, method.Name, TransformKinds.Describe(request.Kind), request.Source,
                        $"[{request.Kind}] needs a function with a scalar result, and '{request.Source}' returns {Shape(sourceMethod.ReturnType)}; "
                        + (Derivation.AuxLayout(source) is null
                            ? "use [Jacobian] (or [Vjp]) for a function with an array result"
                            : $"set HasAux = true to differentiate its first element and return the second as it is"));
            }
            function = Derivation.Derive(request.Kind, source, wrt, method.Name, request.HasAux);
            expectedParameters = Parameters(function);
            expectedReturn = ResultLayout.Render(function.Layout, function.Results.Select(r => Shape(function[r])).ToList());
        }
        else
        {
            if (MatrixProblem(request, source, wrt) is string problem)
                return Fail(DiagnosticDescriptors.TransformSignatureMismatch, location, method.Name, TransformKinds.Describe(request.Kind), request.Source, problem);
            Variable output = source[source.Results[0]];
            IEnumerable<TransformKind> modes = request.Kind == TransformKind.Jacobian ? new[] { TransformKind.JacRev, TransformKind.JacFwd } : new[] { request.Kind };
            foreach (TransformKind mode in modes)
            {
                try
                {
                    helpers.Add(Derivation.Helper(mode, source, wrt[0], method.Name + "_" + (mode == TransformKind.JacRev ? "Vjp" : "Jvp")));
                }
                catch (MissingJvpRule) when (request.Kind == TransformKind.Jacobian)
                {
                    // A function with only a reverse rule on the way: rows by reverse mode alone.
                    kind = TransformKind.JacRev;
                }
            }
            expectedParameters = Parameters(source);
            expectedReturn = Types.CSharp(output.Type) + "[,]";
        }

        string declared = Declared(method);
        string expected = expectedReturn + " " + method.Name + "(" + string.Join(", ", expectedParameters) + ")";
        if (declared != expected)
            return Fail(DiagnosticDescriptors.TransformSignatureMismatch, location, method.Name, TransformKinds.Describe(request.Kind), request.Source,
                "declare it 'static partial " + expected + "'");
        int inputIndex = wrt.Count > 0 ? source.ParameterGroups.ToList().IndexOf(wrt[0]) : 0;
        return Success(method, syntax, kind, request.Source, function, helpers, inputIndex, EquatableArray<bool>.Empty, EquatableArray<string>.Empty);
    }

    /// <summary>A function's C# parameter types, normalised: a tuple parameter as its tuple of leaves.</summary>
    private static IEnumerable<string> Parameters(Function f) => f.ParameterGroups.Select(g => Shape(f, g));

    /// <summary>One C# parameter's type, normalised: a tuple parameter as its tuple of leaves.</summary>
    private static string Shape(Function f, ParameterGroup g) => ResultLayout.Render(g.Layout, f.LeavesOf(g).Select(p => Shape(f[p])).ToList());

    /// <summary>
    /// What keeps a Jacobian or Hessian from applying to <paramref name="source"/>, said of the
    /// source (one array parameter differentiated; an array result for a Jacobian, a scalar one
    /// for a Hessian), or null when it applies.
    /// </summary>
    private static string? MatrixProblem(TransformRequest request, Function source, IReadOnlyList<ParameterGroup> wrt)
    {
        bool hessian = request.Kind == TransformKind.Hessian;
        string kind = "[" + request.Kind + "]";
        if (wrt.Count != 1)
            return $"{kind} differentiates one parameter, and WithRespectTo names {wrt.Count}; declare one {kind} per parameter";
        IReadOnlyList<string> input = source.LeavesOf(wrt[0]);
        Variable output = source[source.Results[0]];
        if (input.Count != 1 || !source[input[0]].IsArray)
            return $"{kind} differentiates an array parameter, and '{wrt[0].Name}' of '{source.Name}' is {Shape(source, wrt[0])}; "
                + (hessian ? "use [Grad] of a [Grad] for a second derivative in a scalar" : "use [Grad] or [Jvp] for a scalar parameter");
        if (source.Results.Count != 1 || output.IsArray == hessian)
        {
            string returned = ResultLayout.Render(source.Layout, source.Results.Select(r => Shape(source[r])).ToList());
            return hessian
                ? $"{kind} needs a function with a scalar result, and '{source.Name}' returns {returned}; use [Jacobian] for the derivative of an array result"
                : $"{kind} needs a function with an array result, and '{source.Name}' returns {returned}; use [Grad] for a scalar result, or [Hessian] for its second derivative";
        }
        return null;
    }

    private static DerivedMethodResult Vmap(IMethodSymbol method, MethodDeclarationSyntax syntax, IMethodSymbol source, LocationInfo? location)
    {
        var mapped = new List<bool>();
        bool matches = method.Parameters.Length == source.Parameters.Length;
        for (int i = 0; matches && i < method.Parameters.Length; i++)
        {
            string own = Shape(method.Parameters[i].Type), theirs = Shape(source.Parameters[i].Type);
            mapped.Add(own != theirs);
            matches = own == theirs || own == Types.ArrayOf(theirs, "[]");
        }
        var sourceResults = Elements(source.ReturnType).Select(Shape).ToList();
        string expectedReturn = sourceResults.Count == 1 ? Types.ArrayOf(sourceResults[0], "[]") : "(" + string.Join(", ", sourceResults.Select(r => Types.ArrayOf(r, "[]"))) + ")";
        matches = matches && mapped.Contains(true) && Shape(method.ReturnType) == expectedReturn;
        if (!matches)
        {
            string parameters = string.Join(", ", source.Parameters.Select(p => Types.ArrayOf(Shape(p.Type), "[]") + " or " + Shape(p.Type)));
            return Fail(DiagnosticDescriptors.TransformSignatureMismatch, location, method.Name, "batched map", source.Name,
                $"declare it 'static partial {expectedReturn} {method.Name}({parameters})', mapping at least one parameter");
        }
        return Success(method, syntax, TransformKind.Vmap, source.Name, null, new List<Function>(), 0,
            mapped.ToEquatableArray(), sourceResults.ToEquatableArray());
    }

    private static DerivedMethodResult Success(IMethodSymbol method, MethodDeclarationSyntax syntax, TransformKind kind, string sourceName,
        Function? function, List<Function> helpers, int input, EquatableArray<bool> mapped, EquatableArray<string> sourceResults)
    {
        INamedTypeSymbol type = method.ContainingType;
        string ns = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString();
        var containing = new Stack<string>();
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
            containing.Push((t.IsStatic ? "static " : "") + "partial " + (t.TypeKind == TypeKind.Struct ? "struct" : t.IsRecord ? "record" : "class") + " " + t.Name);
        string header = string.Join(" ", syntax.Modifiers.Select(m => m.Text)) + " " + syntax.ReturnType + " " + syntax.Identifier.Text + syntax.ParameterList;
        string origin = method.ContainingType.GetMembers(sourceName).FirstOrDefault()?.Locations.FirstOrDefault()?.ToInfo()?.Describe() ?? sourceName;
        string hint = (ns.Length > 0 ? ns + "." : "") + string.Join(".", containing.Select(c => c.Split(' ').Last())) + "." + method.Name + Declarations.OverloadSuffix(method) + ".g.cs";
        // What is emitted computes each repeated expression once; the IR other transforms differentiate does not.
        var spec = new DerivedMethodSpec(ns, containing.ToEquatableArray(), hint, header,
            method.Parameters.Select(p => p.Name).ToEquatableArray(),
            method.Parameters.SelectMany(p => FunctionTypes.LeafAccess(p.Type, p.Name)).ToEquatableArray(), kind, sourceName, origin,
            function is null ? null : CommonSubexpressions.Bind(function), helpers.Select(CommonSubexpressions.Bind).ToEquatableArray(), input, mapped, sourceResults,
            method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).ToEquatableArray());
        return new DerivedMethodResult(spec, EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>The declaration's types, normalised: "double[] F(double[], double)".</summary>
    private static string Declared(IMethodSymbol method) =>
        Shape(method.ReturnType) + " " + method.Name + "(" + string.Join(", ", method.Parameters.Select(p => Shape(p.Type))) + ")";

    private static string Shape(ITypeSymbol type) => FunctionTypes.Shape(type);

    private static string Shape(Variable v) => Types.CSharp(v.Type) + (v.IsArray ? "[]" : "");

    private static IEnumerable<ITypeSymbol> Elements(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsTupleType: true } tuple ? tuple.TupleElements.Select(e => e.Type) : new[] { type };

    private static DerivedMethodResult Fail(DslDiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
        new(null, EquatableArray.Of(DiagnosticInfo.Create(descriptor, location, arguments)));
}
