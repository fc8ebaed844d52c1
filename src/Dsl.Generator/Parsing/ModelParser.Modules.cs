using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generator.Parsing;

// Composition: child properties ([Module] children and [Repeat] stacks) and [Module] classes,
// read with the same code as a model's layers and methods.
internal sealed partial class ModelParser
{
    private readonly Dictionary<string, ChildSpec> _children = new();
    private readonly HashSet<string> _invalidChildren = new();
    private readonly List<PropertyStub> _childStubs = new();

    /// <summary>
    /// Reads a [Module] class for its own generated part (its eager layers, children and
    /// constructor). Its problems are reported here, once, not by each model that holds it.
    /// </summary>
    /// <param name="context">The [Module] class.</param>
    /// <param name="cancellationToken">Cancels the parse.</param>
    /// <param name="readings">Readings of the modules it holds from earlier parses, or null to read them all.</param>
    public static ModuleParseResult ParseModule(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken, ParseCache<ModuleCatalog.Reading>? readings = null)
    {
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        var type = (INamedTypeSymbol)context.TargetSymbol;
        LocationInfo? location = declaration.Identifier.GetLocation().ToInfo();
        try
        {
            if (declaration.Identifier.IsMissing || Declarations.IsInAHalfTypedScope(type) || !IsFirstDeclaration(type, declaration, "Module", cancellationToken))
                return new ModuleParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
            if (StructuralProblem(type, declaration, location, cancellationToken) is { } problem)
                return new ModuleParseResult(null, EquatableArray.Of(problem));

            var parser = new ModelParser(type, context.SemanticModel, cancellationToken, new ModuleCatalog(readings));
            ModuleSpec module = parser.ParseModuleBody(location);
            var file = new ModuleFile
            {
                Module = module,
                Namespace = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString(),
                ContainingTypes = parser.ContainingTypes().ToEquatableArray(),
                FullName = type.ToDisplayString(s_fileNameFormat),
                LayerStubs = parser._stubs.ToEquatableArray(),
                ChildStubs = parser._childStubs.ToEquatableArray(),
            };
            return new ModuleParseResult(file, parser._diagnostics.ToEquatableArray());
        }
        catch (System.OperationCanceledException)
        {
            throw;
        }
        catch (System.Exception e)
        {
            return new ModuleParseResult(null, EquatableArray.Of(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, "parsing the module", e.GetType().Name + ": " + e.Message)));
        }
    }

    /// <summary>Why a model or module class cannot be extended by a generated part, or null.</summary>
    private static DiagnosticInfo? StructuralProblem(INamedTypeSymbol type, TypeDeclarationSyntax declaration, LocationInfo? location, CancellationToken cancellationToken)
    {
        if (declaration is not ClassDeclarationSyntax || declaration is RecordDeclarationSyntax || type.IsStatic || type.IsGenericType)
            return DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelType, location, type.Name,
                declaration is RecordDeclarationSyntax ? "a record" : declaration is not ClassDeclarationSyntax ? "a struct or interface" : type.IsStatic ? "static" : "generic");
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            return DiagnosticInfo.Create(DiagnosticDescriptors.ModelNotPartial, location, type.Name);
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            if (!IsPartialClass(outer, cancellationToken))
                return DiagnosticInfo.Create(DiagnosticDescriptors.NestedModel, location, type.Name, outer.Name);
        return null;
    }

    /// <summary>A module's layers, children, [Forward] and the helpers it reaches.</summary>
    private ModuleSpec ParseModuleBody(LocationInfo? location)
    {
        var methods = _type.GetMembers().OfType<IMethodSymbol>().Where(m => !Declarations.IsCopyOfAnEarlierMethod(m)).ToList();
        ParseLayersAndChildren(methods);
        CheckNames(methods, isModel: false);
        foreach (IMethodSymbol method in methods)
            if (Attribute(method, KnownNames.ForwardAttribute) is not null)
                ParseEntry(method, MethodRole.Forward);
        // The other methods a holder may call (module.Features(x)), read whether or not one does,
        // so the module's own pipeline reports their problems once.
        foreach (IMethodSymbol method in methods)
            if (IsCallableFromHolder(method) && !IsForward(method) && !_methods.ContainsKey(method.Name))
                ParseMethod(method, MethodRole.Helper);
        while (_helpers.Count > 0)
        {
            IMethodSymbol helper = _helpers.Dequeue();
            if (!_methods.ContainsKey(helper.Name))
                ParseMethod(helper, MethodRole.Helper);
        }
        if (!_methods.Values.Any(m => m.Role == MethodRole.Forward) && !methods.Any(m => Attribute(m, KnownNames.ForwardAttribute) is not null))
            Report(DiagnosticDescriptors.ModuleWithoutForward, location, _type.Name);

        return new ModuleSpec
        {
            TypeName = TypeKey(_type),
            Name = _type.Name,
            Layers = _layers.Values.ToEquatableArray(),
            Children = _children.Values.ToEquatableArray(),
            Members = Members(),
            Methods = _methods.Values.OrderBy(m => m.Role == MethodRole.Helper ? 1 : 0).ToEquatableArray(),
            Location = location,
        };
    }

    /// <summary>The layers' and children's names in declaration order, the order their parameters are registered in.</summary>
    private EquatableArray<string> Members() => _type.GetMembers()
        .Where(m => (m is IMethodSymbol && _layers.ContainsKey(m.Name)) || (m is IPropertySymbol && _children.ContainsKey(m.Name)))
        .Select(m => m.Name)
        .ToEquatableArray();

    /// <summary>
    /// Reads the child properties: a partial property of a [Module] type, or a [Repeat(n)] array
    /// of one. Each module type reached is read once into the catalog, for the model's spec.
    /// </summary>
    private void ParseChildren()
    {
        foreach (IPropertySymbol property in _type.GetMembers().OfType<IPropertySymbol>().Where(p => !Declarations.IsCopyOfAnEarlierProperty(p)))
        {
            AttributeData? repeat = Attribute(property, KnownNames.RepeatAttribute);
            ITypeSymbol element = property.Type is IArrayTypeSymbol array ? array.ElementType : property.Type;
            var moduleType = element as INamedTypeSymbol;
            bool isModule = moduleType is not null && IsModuleClass(moduleType);
            if (!property.IsPartialDefinition && repeat is null && !isModule)
                continue; // an ordinary property of the user's
            LocationInfo? location = Location(property);
            _invalidChildren.Add(property.Name);
            if (property.Type.TypeKind == TypeKind.Error || element.TypeKind == TypeKind.Error)
                continue; // C# reports the unknown type itself (a body naming it would only repeat that).
            if (property.IsPartialDefinition && property.PartialImplementationPart is null)
                _childStubs.Add(new PropertyStub(property.Name, PropertyDeclaration(property),
                    property.SetMethod is null ? "" : property.SetMethod.IsInitOnly ? "init" : "set"));
            string? problem = property.IsStatic ? "it must not be static"
                : !property.IsPartialDefinition ? "it must be a partial property without a body"
                : property.PartialImplementationPart is not null ? "it must not have a body; the generator writes it"
                : property.SetMethod is not null || property.GetMethod is null ? "it must have a 'get' accessor only"
                : !isModule ? "its type '" + element.Name + "' is not a [Module] class"
                : null;
            if (problem is not null)
            {
                Report(DiagnosticDescriptors.ChildNotModule, location, property.Name, _type.Name, problem);
                continue;
            }

            int? count = null;
            LocationInfo? repeatLocation = repeat is null ? location : AttributeLocation(repeat) ?? location;
            if (property.Type is IArrayTypeSymbol stack)
            {
                TypedConstant value = repeat is { ConstructorArguments.Length: 1 } ? repeat.ConstructorArguments[0] : default;
                string? repeatProblem = stack.Rank != 1 ? "is a multi-dimensional array"
                    : repeat is null ? "is an array of modules without [Repeat(n)]"
                    : repeat.ConstructorArguments.Length != 1 || value.Kind == TypedConstantKind.Error ? "has a count that is not a compile-time constant"
                    : value.Value is not int n || n < 1 ? "has a count of " + (value.Value ?? "null") + ", less than 1"
                    : n > ModuleLimits.MaxRepeat ? $"has a count of {n}, more than {ModuleLimits.MaxRepeat}: each module of a stack is unrolled into the generated code"
                    : null;
                if (repeatProblem is not null)
                {
                    Report(DiagnosticDescriptors.InvalidRepeat, repeatLocation, property.Name, repeatProblem);
                    continue;
                }
                count = (int)value.Value!;
            }
            else if (repeat is not null)
            {
                Report(DiagnosticDescriptors.InvalidRepeat, repeatLocation, property.Name, "is marked [Repeat] but holds one module, not an array '" + moduleType!.Name + "[]'");
                continue;
            }

            if (SymbolEqualityComparer.Default.Equals(moduleType, _type) || Reaches(moduleType!, _type, new HashSet<ISymbol>(SymbolEqualityComparer.Default)))
            {
                Report(DiagnosticDescriptors.RecursiveModule, location, property.Name, _type.Name, moduleType!.Name);
                continue;
            }

            ParseNestedModule(moduleType!);
            _invalidChildren.Remove(property.Name);
            _children[property.Name] = new ChildSpec
            {
                PropertyName = property.Name,
                ParameterName = SnakeCase(property.Name),
                ModuleType = TypeKey(moduleType!),
                Count = count,
                Declaration = PropertyDeclaration(property),
                Location = location,
            };
        }
    }

    /// <summary>Reads a module a child holds into the catalog, once; its own problems are left to its [Module] pipeline.</summary>
    private void ParseNestedModule(INamedTypeSymbol type)
    {
        string key = TypeKey(type);
        if (!_catalog.Reserve(key))
            return;
        TreesRead.NoteDeclarations(type);
        var declaration = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_cancellationToken)).OfType<TypeDeclarationSyntax>().FirstOrDefault();
        LocationInfo? location = declaration?.Identifier.GetLocation().ToInfo();
        if (declaration is null || StructuralProblem(type, declaration, location, _cancellationToken) is not null)
        {
            _catalog.Complete(key, null);
            return;
        }
        if (_catalog.Readings is { } readings)
        {
            // An earlier parse's reading of the module (another model's, or this model's before an
            // edit elsewhere in the file), while its declarations read the same (ParseCache).
            bool fresh = false;
            ModuleCatalog.Reading reading = readings.Get(declaration, type, _semanticModel.Compilation,
                () => { fresh = true; return _catalog.Record(key, () => ReadNestedModule(type, location)); }, _cancellationToken);
            if (fresh || _catalog.Replay(key, reading))
                return;
        }
        _catalog.Complete(key, ReadNestedModule(type, location));
    }

    /// <summary>A module's spec as a holder uses it, or null when it has errors.</summary>
    private ModuleSpec? ReadNestedModule(INamedTypeSymbol type, LocationInfo? location)
    {
        var parser = new ModelParser(type, _semanticModel, _cancellationToken, _catalog);
        ModuleSpec module = parser.ParseModuleBody(location);
        return parser._diagnostics.Any(d => !d.Descriptor.IsWarning) ? null : module;
    }

    /// <summary>Whether <paramref name="from"/> holds <paramref name="target"/> somewhere among its children, at any depth.</summary>
    private static bool Reaches(INamedTypeSymbol from, INamedTypeSymbol target, HashSet<ISymbol> seen)
    {
        if (!seen.Add(from))
            return false;
        foreach (IPropertySymbol property in from.GetMembers().OfType<IPropertySymbol>())
        {
            ITypeSymbol element = property.Type is IArrayTypeSymbol array ? array.ElementType : property.Type;
            if (element is not INamedTypeSymbol child || !IsModuleClass(child))
                continue;
            if (SymbolEqualityComparer.Default.Equals(child, target) || Reaches(child, target, seen))
                return true;
        }
        return false;
    }

    private static bool IsModuleClass(INamedTypeSymbol type) => Attribute(type, KnownNames.ModuleAttribute) is not null;

    /// <summary>The key a child names its module by, and how generated code names the type: <c>global::Ns.Block</c>.</summary>
    private static string TypeKey(INamedTypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>The property's declaration as written, fully qualified, e.g. <c>private partial global::Ns.Block[] Blocks</c>.</summary>
    private static string PropertyDeclaration(IPropertySymbol property) =>
        AccessibilityText(property.DeclaredAccessibility) + (property.IsStatic ? " static" : "") + " partial "
        + property.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + " " + property.Name;

    // ---- What the body parser asks ----

    /// <summary>The child that <paramref name="symbol"/> is (a property of this class), or null.</summary>
    internal ChildSpec? Child(ISymbol? symbol) =>
        symbol is IPropertySymbol property && SymbolEqualityComparer.Default.Equals(property.ContainingType, _type)
        && _children.TryGetValue(property.Name, out ChildSpec? child) ? child : null;

    /// <summary>Whether <paramref name="symbol"/> is a child property already reported at its declaration.</summary>
    internal bool IsInvalidChild(ISymbol? symbol) =>
        symbol is IPropertySymbol property && SymbolEqualityComparer.Default.Equals(property.ContainingType, _type) && _invalidChildren.Contains(property.Name);

    /// <summary>Whether <paramref name="type"/> is a [Module] class.</summary>
    internal static bool IsModule(ITypeSymbol? type) => type is INamedTypeSymbol named && IsModuleClass(named);

    /// <summary>Whether <paramref name="method"/> is marked [Forward].</summary>
    internal static bool IsForward(IMethodSymbol method) => Attribute(method, KnownNames.ForwardAttribute) is not null;

    /// <summary>
    /// Whether a module's holder may call <paramref name="method"/>: its [Forward], or another
    /// instance method that the holder can see (not private) and that takes Tensor, Label or Tokens
    /// and returns a Tensor or a tuple of Tensors. Such a method is inlined with the module's
    /// parameters, as its [Forward] is.
    /// </summary>
    internal static bool IsCallableFromHolder(IMethodSymbol method) =>
        IsForward(method)
        || (method.MethodKind == MethodKind.Ordinary && !method.IsStatic && !method.IsGenericMethod && !method.IsPartialDefinition
            && method.DeclaredAccessibility is not Accessibility.Private and not Accessibility.NotApplicable
            && (IsType(method.ReturnType, KnownNames.Tensor) || OutputNames(method.ReturnType) is not null)
            && method.Parameters.Length > 0
            && method.Parameters.All(p => IsType(p.Type, KnownNames.Tensor) || IsType(p.Type, KnownNames.Label) || IsType(p.Type, KnownNames.Tokens)));
}
