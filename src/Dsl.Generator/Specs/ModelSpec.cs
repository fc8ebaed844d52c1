using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;

namespace Dsl.Generator.Specs;

/// <summary>
/// What the parser read from one [Model] class: plain, immutable, structurally equal, with no
/// symbol or syntax node, so the incremental pipeline can cache it (the contract of
/// System.Text.Json's <c>ContextGenerationSpec</c>).
/// </summary>
internal sealed record ModelSpec
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>The class's type parameter list, e.g. <c>&lt;T&gt;</c>, or empty.</summary>
    public required string TypeParameters { get; init; }

    /// <summary>The name as a type inside its own declaration: <c>Classifier</c> or <c>Classifier&lt;T&gt;</c>.</summary>
    public string SelfType => Name + TypeParameters;

    /// <summary>
    /// The type as an expression anywhere, e.g. <c>global::QuickStart.Classifier</c>: a user member
    /// named like the class (CS0542) or a member the program inherits cannot capture it.
    /// </summary>
    public string GlobalSelfType => "global::" + (TypeParameters.Length == 0 ? FullName : FullName.Substring(0, FullName.LastIndexOf('`'))) + TypeParameters;

    /// <summary>The namespace and containing types with the name, e.g. <c>QuickStart.Classifier</c>: the prefix of generated file names.</summary>
    public required string FullName { get; init; }

    /// <summary>
    /// Declarations of the types the model is nested in, outermost first (e.g. <c>partial class
    /// Outer</c>); empty for a top-level model. Generated parts reopen them.
    /// </summary>
    public required EquatableArray<string> ContainingTypes { get; init; }

    public required LocationInfo? Location { get; init; }

    public required EquatableArray<LayerSpec> Layers { get; init; }

    /// <summary>
    /// Every layer declaration the generator must give a body, valid or not: the bodies written
    /// when a layer cannot run (an error elsewhere, or a layer never called) keep C# from adding
    /// missing-body errors to the DSL's own.
    /// </summary>
    public required EquatableArray<LayerStub> LayerStubs { get; init; }

    /// <summary>The model's child modules and stacks, in declaration order.</summary>
    public EquatableArray<ChildSpec> Children { get; init; } = EquatableArray<ChildSpec>.Empty;

    /// <summary>Every child property declaration the generator must give a body, valid or not (as <see cref="LayerStubs"/>).</summary>
    public EquatableArray<PropertyStub> ChildStubs { get; init; } = EquatableArray<PropertyStub>.Empty;

    /// <summary>The layers' and children's member names in declaration order: the order of the parameters.</summary>
    public EquatableArray<string> Members { get; init; } = EquatableArray<string>.Empty;

    /// <summary>
    /// Whether the user's class declares a member the generated part would also declare (DSL0016):
    /// the file written for the failed model then holds only the bodies its partial declarations need.
    /// </summary>
    public bool ClashesWithGeneratedMembers { get; init; }

    /// <summary>Every [Module] class the model contains, directly or inside other modules, each once.</summary>
    public EquatableArray<ModuleSpec> Modules { get; init; } = EquatableArray<ModuleSpec>.Empty;

    /// <summary>The model's own layers, children and methods seen as a module: the root that lowering walks.</summary>
    public ModuleSpec Root => new()
    {
        TypeName = FullName,
        Name = Name,
        Layers = Layers,
        Children = Children,
        Members = Members,
        Methods = Methods,
        Location = Location,
    };

    /// <summary>Every model method the entry points reach, entry points first.</summary>
    public required EquatableArray<MethodSpec> Methods { get; init; }

    /// <summary>The name of the static [Optimizer] method, or null.</summary>
    public required string? OptimizerMethod { get; init; }
}

/// <summary>
/// The parser's result: the model when it could be read, and what went wrong.
/// <paramref name="ModuleFailed"/> says that a module the model holds has errors, which that
/// module's own [Module] pipeline reports; the model then only writes the bodies its declarations need.
/// </summary>
/// <param name="HasDuplicateMethods">The class declares a method twice (CS0111): calls to it are ambiguous, so only the fallback is written.</param>
internal sealed record ParseResult(ModelSpec? Model, EquatableArray<DiagnosticInfo> Diagnostics, bool ModuleFailed = false, bool HasDuplicateMethods = false);

/// <summary>A layer: an attributed partial method such as <c>[Dense(16)] partial Tensor Hidden(Tensor x);</c>.</summary>
internal sealed record LayerSpec
{
    /// <summary>The C# method name, e.g. <c>Hidden</c>.</summary>
    public required string MethodName { get; init; }

    /// <summary>The parameter prefix in PyTorch's style, e.g. <c>hidden</c> (for <c>hidden.weight</c>).</summary>
    public required string ParameterName { get; init; }

    /// <summary>The layer's kind with its attribute's arguments (<see cref="Layers.DenseLayer"/>, ...), which knows how to lower it.</summary>
    public required Layers.LayerKind Kind { get; init; }

    public required string Accessibility { get; init; }

    /// <summary>The parameter name of the method's input, for the generated eager body.</summary>
    public required string InputName { get; init; }

    public required LocationInfo? Location { get; init; }

    /// <summary>Where the layer's attribute is written, for problems with its arguments found only once the input's size is known.</summary>
    public LocationInfo? AttributeLocation { get; init; }
}

/// <summary>A layer's partial declaration as the user wrote it, e.g. <c>private partial global::Dsl.Tensor Hidden(global::Dsl.Tensor x)</c>.</summary>
internal sealed record LayerStub(string MethodName, string Declaration);

/// <summary>The role a model method plays.</summary>
internal enum MethodRole
{
    /// <summary>A method that entry points call; it is inlined.</summary>
    Helper,
    Forward,
    TrainingStep,
    ValidationStep,
}

/// <summary>A model method (an entry point or a helper that one calls), with its body as a syntax-free tree.</summary>
internal sealed record MethodSpec
{
    public required string Name { get; init; }

    public required MethodRole Role { get; init; }

    public required EquatableArray<ParameterSpec> Parameters { get; init; }

    /// <summary>True for a method returning <c>Tensor</c>, false for <c>void</c>.</summary>
    public required bool ReturnsTensor { get; init; }

    /// <summary>
    /// For a method returning a tuple of tensors (<c>(Tensor logits, Tensor aux)</c>), each
    /// element's name (<c>output1</c>, <c>output2</c>... where unnamed); empty for one Tensor or void.
    /// </summary>
    public EquatableArray<string> OutputNames { get; init; } = EquatableArray<string>.Empty;

    public required EquatableArray<Statement> Body { get; init; }

    public required LocationInfo? Location { get; init; }
}

/// <summary>What a method parameter carries per example.</summary>
internal enum ValueKind
{
    Tensor,
    Label,

    /// <summary>A sequence of int ids per example, [T].</summary>
    Tokens,
}

/// <summary>Questions about <see cref="ValueKind"/>.</summary>
internal static class ValueKinds
{
    /// <summary>Whether values of this kind are ints (labels, token ids) rather than floats.</summary>
    public static bool IsInts(this ValueKind kind) => kind is ValueKind.Label or ValueKind.Tokens;

    /// <summary>"a Tensor", "a Label" or "Tokens", as messages name the kinds.</summary>
    public static string Describe(this ValueKind kind) => kind switch
    {
        ValueKind.Label => "a Label",
        ValueKind.Tokens => "Tokens",
        _ => "a Tensor",
    };
}

/// <summary>A method parameter; <see cref="Shape"/> is set by <c>[Shape(...)]</c>.</summary>
internal sealed record ParameterSpec(string Name, ValueKind Kind, EquatableArray<int>? Shape, LocationInfo? Location);
