using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Layers;
using Dsl.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generator.Parsing;

/// <summary>
/// Reads one [Model] class into a <see cref="ModelSpec"/>: its layers, its entry points and the
/// model methods they call, with bodies as syntax-free trees. This folder is the only part of the
/// generator that sees symbols and syntax; nothing it returns holds on to them.
/// </summary>
internal sealed partial class ModelParser
{
    private readonly INamedTypeSymbol _type;
    private readonly SemanticModel _semanticModel;
    private readonly CancellationToken _cancellationToken;
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly HashSet<DiagnosticInfo> _reported = new();
    private readonly Dictionary<string, LayerSpec> _layers = new();
    private readonly HashSet<string> _invalidLayers = new();
    private readonly Dictionary<string, MethodSpec> _methods = new();
    private readonly Queue<IMethodSymbol> _helpers = new();
    private readonly List<LayerStub> _stubs = new();
    private readonly ModuleCatalog _catalog;

    /// <summary>Namespace and containing types, without type arguments (they cannot be in a file name).</summary>
    private static readonly SymbolDisplayFormat s_fileNameFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.None);

    private ModelParser(INamedTypeSymbol type, SemanticModel semanticModel, CancellationToken cancellationToken, ModuleCatalog catalog)
    {
        _type = type;
        _semanticModel = semanticModel;
        _cancellationToken = cancellationToken;
        _catalog = catalog;
    }

    /// <summary>Reads a [Model] class into its spec, with the modules it holds, or the problems that stop it.</summary>
    /// <param name="context">The [Model] class.</param>
    /// <param name="cancellationToken">Cancels the parse.</param>
    /// <param name="readings">Readings of the modules it holds from earlier parses, or null to read them all.</param>
    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken, ParseCache<ModuleCatalog.Reading>? readings = null)
    {
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        var type = (INamedTypeSymbol)context.TargetSymbol;
        LocationInfo? location = declaration.Identifier.GetLocation().ToInfo();
        try
        {
            // A half-typed declaration has nothing to generate yet; C# reports what is missing.
            if (declaration.Identifier.IsMissing || Declarations.IsInAHalfTypedScope(type) || !IsFirstDeclaration(type, declaration, "Model", cancellationToken))
                return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
            if (declaration is not ClassDeclarationSyntax || declaration is RecordDeclarationSyntax || type.IsStatic)
                return Failed(DiagnosticDescriptors.UnsupportedModelType, location, type.Name,
                    declaration is RecordDeclarationSyntax ? "a record" : declaration is not ClassDeclarationSyntax ? "a struct or interface" : "static");
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                return Failed(DiagnosticDescriptors.ModelNotPartial, location, type.Name);
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
                if (!IsPartialClass(outer, cancellationToken))
                    return Failed(DiagnosticDescriptors.NestedModel, location, type.Name, outer.Name);
            return new ModelParser(type, context.SemanticModel, cancellationToken, new ModuleCatalog(readings)).ParseModel(location);
        }
        catch (System.OperationCanceledException)
        {
            throw;
        }
        catch (System.Exception e)
        {
            return Failed(DiagnosticDescriptors.InternalError, location, "parsing the model", e.GetType().Name + ": " + e.Message);
        }
    }

    /// <summary>A partial class may carry [Model] (or [Module]) on several parts; the first one speaks for the class.</summary>
    private static bool IsFirstDeclaration(INamedTypeSymbol type, TypeDeclarationSyntax declaration, string attribute, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax part)
                continue;
            bool marked = part.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is var n && (n.EndsWith(attribute) || n.EndsWith(attribute + "Attribute")));
            if (marked)
                return part == declaration;
        }
        return true;
    }

    private static bool IsPartialClass(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.TypeKind == TypeKind.Class && !type.IsRecord && !type.IsGenericType && type.DeclaringSyntaxReferences.All(r =>
            r.GetSyntax(cancellationToken) is ClassDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.PartialKeyword));

    /// <summary>"partial class Outer", or "static partial class Outer": how a generated part reopens a containing type.</summary>
    private static string ReopenDeclaration(INamedTypeSymbol type) => (type.IsStatic ? "static " : "") + "partial class " + type.Name;

    private static ParseResult Failed(DslDiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
        new(null, EquatableArray.Of(DiagnosticInfo.Create(descriptor, location, arguments)));

    private ParseResult ParseModel(LocationInfo? location)
    {
        var declared = _type.GetMembers().OfType<IMethodSymbol>().ToList();
        var methods = declared.Where(m => !Declarations.IsCopyOfAnEarlierMethod(m)).ToList();
        ParseLayersAndChildren(methods);
        bool clashes = CheckNames(methods, isModel: true);

        string? optimizer = null;
        bool hasOptimizerAttribute = false;
        foreach (IMethodSymbol method in methods)
        {
            MethodRole? role = Attribute(method, KnownNames.ForwardAttribute) is not null ? MethodRole.Forward
                : Attribute(method, KnownNames.TrainingStepAttribute) is not null ? MethodRole.TrainingStep
                : Attribute(method, KnownNames.ValidationStepAttribute) is not null ? MethodRole.ValidationStep
                : null;
            if (role is { } r)
                ParseEntry(method, r);
            if (Attribute(method, KnownNames.OptimizerAttribute) is not null)
            {
                hasOptimizerAttribute = true;
                if (CheckOptimizer(method)) optimizer = method.Name;
            }
        }

        foreach (IMethodSymbol method in methods)
            CheckHook(method);

        while (_helpers.Count > 0)
        {
            IMethodSymbol helper = _helpers.Dequeue();
            if (!_methods.ContainsKey(helper.Name))
                ParseMethod(helper, MethodRole.Helper);
        }

        if (_methods.Values.Any(m => m.Role == MethodRole.TrainingStep) && !hasOptimizerAttribute)
            Report(DiagnosticDescriptors.MissingOptimizer, location, _type.Name);

        var spec = new ModelSpec
        {
            Namespace = _type.ContainingNamespace.IsGlobalNamespace ? "" : _type.ContainingNamespace.ToDisplayString(),
            Name = _type.Name,
            TypeParameters = _type.TypeParameters.IsEmpty ? "" : "<" + string.Join(", ", _type.TypeParameters.Select(t => t.Name)) + ">",
            FullName = _type.ToDisplayString(s_fileNameFormat) + (_type.Arity > 0 ? "`" + _type.Arity : ""),
            ContainingTypes = ContainingTypes().ToEquatableArray(),
            Location = location,
            Layers = _layers.Values.ToEquatableArray(),
            LayerStubs = _stubs.ToEquatableArray(),
            Methods = _methods.Values.OrderBy(m => m.Role == MethodRole.Helper ? 1 : 0).ToEquatableArray(),
            OptimizerMethod = optimizer,
            Children = _children.Values.ToEquatableArray(),
            ChildStubs = _childStubs.ToEquatableArray(),
            Members = Members(),
            Modules = _catalog.Parsed,
            ClashesWithGeneratedMembers = clashes,
        };
        // A method declared twice (CS0111) makes every call to it ambiguous, the generated ones too:
        // only the fallback is written, and C# reports the duplicate.
        return new ParseResult(spec, _diagnostics.ToEquatableArray(), _catalog.Failed, HasDuplicateMethods: methods.Count != declared.Count);
    }

    /// <summary>The members a model and a module share: layers and child modules.</summary>
    private void ParseLayersAndChildren(List<IMethodSymbol> methods)
    {
        foreach (IMethodSymbol method in methods)
        {
            foreach (LayerCatalogue.Entry entry in LayerCatalogue.Entries)
            {
                if (Attribute(method, entry.AttributeName) is { } attribute)
                {
                    ParseLayer(method, attribute, entry);
                    break;
                }
            }
        }
        ParseChildren();
    }

    private IEnumerable<string> ContainingTypes()
    {
        var types = new Stack<string>();
        for (INamedTypeSymbol? outer = _type.ContainingType; outer is not null; outer = outer.ContainingType)
            types.Push(ReopenDeclaration(outer));
        return types;
    }

    // ---- Layers ----

    private void ParseLayer(IMethodSymbol method, AttributeData attribute, LayerCatalogue.Entry entry)
    {
        LocationInfo? location = Location(method);
        if (method.IsPartialDefinition && Declarations.LacksAccessibility(method))
        {
            _invalidLayers.Add(method.Name); // C# reports CS8796, and no generated body could match the declaration
            return;
        }
        if (method.IsPartialDefinition && method.PartialImplementationPart is null)
            _stubs.Add(new LayerStub(method.Name, StubDeclaration(method)));

        string input = entry.TakesTokens ? KnownNames.Tokens : KnownNames.Tensor;
        string? problem =
            method.IsStatic ? "it must not be static"
            : !method.IsPartialDefinition ? "it must be a partial method without a body"
            : method.PartialImplementationPart is not null ? "it must not have a body; the generator writes it"
            : !IsType(method.ReturnType, KnownNames.Tensor) ? "it must return Tensor"
            : method.Parameters.Length != 1 || !IsType(method.Parameters[0].Type, input) || method.Parameters[0].RefKind != RefKind.None
                ? (entry.TakesTokens ? "it must take exactly one Tokens, by value" : "it must take exactly one Tensor, by value")
            : Declarations.IsUnnamed(method.Parameters[0]) ? "its parameter needs a name"
            : null;
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.BadLayerSignature, location, method.Name, problem, entry.TakesTokens ? "Tokens ids" : "Tensor x");
            _invalidLayers.Add(method.Name);
            return;
        }

        // The kind reads its own arguments and reports their problems at the attribute.
        string kindName = entry.AttributeName.Substring("Dsl.".Length, entry.AttributeName.Length - "Dsl.".Length - "Attribute".Length);
        var reader = new LayerAttributeReader(attribute, this, kindName, method.Name, AttributeLocation(attribute) ?? location);
        if (entry.Parse(reader) is not { } kind)
        {
            _invalidLayers.Add(method.Name);
            return;
        }

        _layers[method.Name] = new LayerSpec
        {
            MethodName = method.Name,
            ParameterName = SnakeCase(method.Name),
            Kind = kind,
            Accessibility = AccessibilityText(method.DeclaredAccessibility),
            InputName = method.Parameters[0].Name,
            Location = location,
            AttributeLocation = AttributeLocation(attribute),
        };
    }

    /// <summary>The layer's declaration as written, fully qualified, for a generated body to match.</summary>
    private static string StubDeclaration(IMethodSymbol method)
    {
        // A parameter still without a name (C# reports CS1001) gets one, so the stub itself compiles.
        string parameters = string.Join(", ", method.Parameters.Select((p, i) =>
            (p.RefKind switch { RefKind.Ref => "ref ", RefKind.Out => "out ", RefKind.In => "in ", _ => "" })
            + p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + " " + (Declarations.IsUnnamed(p) ? "unnamed" + i : p.Name)));
        return AccessibilityText(method.DeclaredAccessibility) + (method.IsStatic ? " static" : "") + " partial "
            + method.ReturnType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + " " + method.Name + "(" + parameters + ")";
    }

    // ---- Entry points and helpers ----

    private void ParseEntry(IMethodSymbol method, MethodRole role)
    {
        if (_methods.Values.FirstOrDefault(m => m.Role == role) is { } first)
        {
            Report(DiagnosticDescriptors.BadMethodSignature, Location(method), role, method.Name, "is a second [" + role + "] method; '" + first.Name + "' is the first");
            return;
        }
        string? problem =
            method.IsStatic ? "must not be static"
            : method.IsGenericMethod ? "must not be generic"
            : role == MethodRole.ValidationStep ? (method.ReturnsVoid || IsType(method.ReturnType, KnownNames.Tensor) ? null : "must return void or Tensor")
            : role == MethodRole.Forward ? ForwardReturnProblem(method)
            : IsType(method.ReturnType, KnownNames.Tensor) ? null : "must return Tensor";
        problem ??= method.Parameters.Any(p => IsType(p.Type, KnownNames.Tensor) || IsType(p.Type, KnownNames.Tokens)) ? null : "must take at least one Tensor or Tokens input";
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.BadMethodSignature, Location(method), role, method.Name, problem);
            return;
        }
        ParseMethod(method, role);
    }

    private void ParseMethod(IMethodSymbol method, MethodRole role)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var parameters = new List<ParameterSpec>();
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            ValueKind? kind = IsType(parameter.Type, KnownNames.Tensor) ? ValueKind.Tensor
                : IsType(parameter.Type, KnownNames.Label) ? ValueKind.Label
                : IsType(parameter.Type, KnownNames.Tokens) ? ValueKind.Tokens
                : null;
            if (kind is null || parameter.RefKind != RefKind.None)
            {
                Report(DiagnosticDescriptors.BadMethodSignature, Location(parameter), role, method.Name, "has parameter '" + parameter.Name + "' that is not a Tensor, Label or Tokens passed by value");
                return;
            }
            if (Declarations.IsUnnamed(parameter))
            {
                Report(DiagnosticDescriptors.BadMethodSignature, Location(parameter) ?? Location(method), role, method.Name, "has a parameter without a name");
                return;
            }
            if (parameter.IsOptional || parameter.IsParams)
            {
                Report(DiagnosticDescriptors.BadMethodSignature, Location(parameter), role, method.Name, "has parameter '" + parameter.Name + "' that is optional or params; every argument must be passed");
                return;
            }
            parameters.Add(new ParameterSpec(parameter.Name, kind.Value, ParseShape(parameter), Location(parameter)));
        }

        var declaration = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_cancellationToken)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (declaration is null || (declaration.Body is null && declaration.ExpressionBody is null))
        {
            Report(DiagnosticDescriptors.BadMethodSignature, Location(method), role, method.Name, "has no body to compile");
            return;
        }

        var body = new BodyParser(this, BodySemanticModel.For(_semanticModel.Compilation, declaration), method.ReturnsVoid);
        _methods[method.Name] = new MethodSpec
        {
            Name = method.Name,
            Role = role,
            Parameters = parameters.ToEquatableArray(),
            ReturnsTensor = !method.ReturnsVoid,
            OutputNames = OutputNames(method.ReturnType) ?? EquatableArray<string>.Empty,
            Body = body.Parse(declaration),
            Location = Location(method),
        };
    }

    /// <summary>
    /// Why a [Forward] cannot return what it declares, or null: one Tensor, or a tuple of two or
    /// more Tensors (one output each, named after the tuple's elements) whose names do not clash
    /// with the inputs' (both become parameters of the compiled Predict).
    /// </summary>
    private static string? ForwardReturnProblem(IMethodSymbol method)
    {
        if (IsType(method.ReturnType, KnownNames.Tensor))
            return null;
        if (OutputNames(method.ReturnType) is not { } names)
            return "must return Tensor, or a tuple of Tensors such as '(Tensor logits, Tensor aux)' for several outputs";
        foreach (string name in names)
            if (method.Parameters.Any(p => p.Name == name) || name == "batch")
                return "names an output '" + name + "' like " + (name == "batch" ? "the compiled Predict's batch" : "an input") + "; the compiled Predict takes both as parameters, so rename the tuple's element";
        return null;
    }

    /// <summary>The element names of a tuple of Tensors (<c>output1</c>... where unnamed), or null for any other type.</summary>
    internal static EquatableArray<string>? OutputNames(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol { IsTupleType: true, TupleElements: var elements } || elements.Any(e => !IsType(e.Type, KnownNames.Tensor)))
            return null;
        return elements.Select((e, i) => e.IsExplicitlyNamedTupleElement ? e.Name : "output" + (i + 1)).ToEquatableArray();
    }

    private EquatableArray<int>? ParseShape(IParameterSymbol parameter)
    {
        if (Attribute(parameter, KnownNames.ShapeAttribute) is not { } shape)
            return null;
        var dimensions = new List<int>();
        TypedConstant argument = shape.ConstructorArguments.FirstOrDefault();
        if (argument.Kind == TypedConstantKind.Error)
            return null; // C# reports the argument itself.
        // [Shape()] is a per-example scalar (torch's shape ()): a weight, a time, one number per example.
        if (argument.Kind == TypedConstantKind.Array && !argument.IsNull && argument.Values.IsEmpty)
        {
            if (!IsType(parameter.Type, KnownNames.Tokens))
                return EquatableArray<int>.Empty;
            // Tokens are a sequence: its length is the dimension [Shape()] leaves out.
            Report(DiagnosticDescriptors.InvalidDimension, AttributeLocation(shape) ?? Location(parameter), "T",
                "[Shape(T)] of Tokens " + parameter.Name + ", a sequence of T token ids (one id per example is a Label, or [Shape(1)])");
            return null;
        }
        if (argument.IsNull)
        {
            Report(DiagnosticDescriptors.InvalidDimension, AttributeLocation(shape) ?? Location(parameter), "(none)", "[Shape] of " + parameter.Name);
            return null;
        }
        IEnumerable<TypedConstant> values = argument.Kind == TypedConstantKind.Array ? argument.Values : new[] { argument };
        foreach (TypedConstant value in values)
        {
            if (value.Kind == TypedConstantKind.Error || value.Value is not int dimension || dimension <= 0)
            {
                Report(DiagnosticDescriptors.InvalidDimension, AttributeLocation(shape) ?? Location(parameter), value.Value ?? "?", "[Shape] of " + parameter.Name);
                return null;
            }
            dimensions.Add(dimension);
        }
        if (!new Ir.Shape(dimensions.ToEquatableArray()).FitsInt32)
        {
            Report(DiagnosticDescriptors.TensorTooLarge, AttributeLocation(shape) ?? Location(parameter),
                "One example of input '" + parameter.Name + "' of shape [" + string.Join(", ", dimensions) + "]", int.MaxValue);
            return null;
        }
        return dimensions.ToEquatableArray();
    }

    private bool CheckOptimizer(IMethodSymbol method)
    {
        string? problem = !method.IsStatic ? "must be static"
            : method.Parameters.Length != 0 ? "must take no parameters"
            : method.ReturnType.TypeKind == TypeKind.Error ? null // the compiler reports the unknown type itself
            : !DerivesFrom(method.ReturnType, KnownNames.Optimizer) ? "must return a Dsl.Optimizer such as new Adam(1e-3f)"
            : null;
        if (problem is null) return true;
        Report(DiagnosticDescriptors.BadMethodSignature, Location(method), "Optimizer", method.Name, problem);
        return false;
    }

    /// <summary>
    /// Warns about a method named like a Trainer hook that the Trainer would not call (private,
    /// static, other parameters), since the mistake is otherwise silent.
    /// </summary>
    private void CheckHook(IMethodSymbol method)
    {
        int index = System.Array.FindIndex(KnownNames.TrainerHooks, h => h.Name == method.Name);
        if (index < 0 || method.MethodKind != MethodKind.Ordinary) return;
        string extra = KnownNames.TrainerHooks[index].ExtraParameter;
        string expected = "public void " + method.Name + "(Trainer trainer" + (extra.Length > 0 ? ", " + extra + " loss" : "") + ")";
        bool parametersMatch = method.Parameters.Length == (extra.Length > 0 ? 2 : 1)
            && IsType(method.Parameters[0].Type, KnownNames.Trainer)
            && (extra.Length == 0 || method.Parameters[1].Type.SpecialType == SpecialType.System_Single)
            && method.Parameters.All(p => p.RefKind == RefKind.None);
        string? problem = method.IsStatic ? "is static"
            : method.DeclaredAccessibility != Accessibility.Public ? "is not public"
            : !method.ReturnsVoid ? "does not return void"
            : !parametersMatch ? "has other parameters"
            : null;
        if (problem is not null)
            Report(DiagnosticDescriptors.HookNotCalled, Location(method), method.Name, problem, expected);
    }

    // ---- What the body parser asks ----

    /// <summary>What a call to a method of the model class is: a layer, a helper to inline, or an invalid layer.</summary>
    internal CallTarget? ClassifyModelCall(IMethodSymbol method, LocationInfo? call)
    {
        if (!SymbolEqualityComparer.Default.Equals(method.ContainingType, _type))
            return null;
        if (_invalidLayers.Contains(method.Name) || method.MethodKind == MethodKind.LocalFunction)
            return null; // already reported at its declaration
        if (_layers.ContainsKey(method.Name))
            return CallTarget.Layer;
        if (_type.GetMembers(method.Name).OfType<IMethodSymbol>().Count() > 1)
        {
            Report(DiagnosticDescriptors.BadMethodSignature, call, "Helper", method.Name, "is overloaded; model methods are inlined by name, so give each its own name");
            return null;
        }
        _helpers.Enqueue(method.OriginalDefinition);
        return CallTarget.Method;
    }

    internal bool IsModelType(ITypeSymbol type) => SymbolEqualityComparer.Default.Equals(type, _type);

    /// <summary>Reports once: an unrolled loop parses its body once per iteration.</summary>
    internal void Report(DslDiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments)
    {
        DiagnosticInfo diagnostic = DiagnosticInfo.Create(descriptor, location, arguments);
        if (_reported.Add(diagnostic))
            _diagnostics.Add(diagnostic);
    }

    // ---- Helpers ----

    internal static bool IsType(ITypeSymbol type, string metadataName) =>
        type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == "global::" + metadataName;

    private static bool DerivesFrom(ITypeSymbol type, string metadataName)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
            if (IsType(t, metadataName)) return true;
        return false;
    }

    private static AttributeData? Attribute(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass is { } c && IsType(c, metadataName));

    private static LocationInfo? Location(ISymbol symbol) => symbol.Locations.FirstOrDefault().ToInfo();

    private static LocationInfo? AttributeLocation(AttributeData attribute) =>
        attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation().ToInfo();

    /// <summary>PyTorch's attribute naming: <c>OutputLayer</c> becomes <c>output_layer</c>.</summary>
    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                builder.Append('_');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };
}
