using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;

namespace Dsl.Generator.Specs;

/// <summary>
/// A [Module] class as a model holds it (PyTorch's <c>nn.Module</c> child): its layers, its own
/// children, and the methods its [Forward] reaches. Value-equal and free of symbols, like
/// <see cref="ModelSpec"/>, so a model's spec stays cacheable with every module it contains.
/// </summary>
internal sealed record ModuleSpec
{
    /// <summary>The fully qualified type name: the key children refer to the module by.</summary>
    public required string TypeName { get; init; }

    /// <summary>The class name as written, for messages and generated comments.</summary>
    public required string Name { get; init; }

    public required EquatableArray<LayerSpec> Layers { get; init; }

    public required EquatableArray<ChildSpec> Children { get; init; }

    /// <summary>The layers' and children's member names in declaration order: the order of the parameters (PyTorch's registration order).</summary>
    public required EquatableArray<string> Members { get; init; }

    /// <summary>The [Forward] method first, then the helpers it reaches.</summary>
    public required EquatableArray<MethodSpec> Methods { get; init; }

    public required LocationInfo? Location { get; init; }
}

/// <summary>
/// A child property: <c>private partial Block Encoder { get; }</c> (one module) or
/// <c>[Repeat(6)] private partial Block[] Blocks { get; }</c> (a stack of <see cref="Count"/>).
/// </summary>
internal sealed record ChildSpec
{
    /// <summary>The C# property name, e.g. <c>Blocks</c>.</summary>
    public required string PropertyName { get; init; }

    /// <summary>The parameter prefix in PyTorch's style, e.g. <c>blocks</c> (for <c>blocks.0.up.weight</c>).</summary>
    public required string ParameterName { get; init; }

    /// <summary>The <see cref="ModuleSpec.TypeName"/> of the module it holds.</summary>
    public required string ModuleType { get; init; }

    /// <summary>The stack's size for a <c>[Repeat(n)]</c> array; null for a single module.</summary>
    public required int? Count { get; init; }

    /// <summary>The property's declaration as written, fully qualified, for the generated body to match.</summary>
    public required string Declaration { get; init; }

    public required LocationInfo? Location { get; init; }
}

/// <summary>Which module instance a call goes to, as the user wrote it.</summary>
internal abstract record ModuleReference(LocationInfo? Location);

/// <summary>A single child: <c>Encoder</c> in <c>Encoder.Forward(x)</c>.</summary>
internal sealed record ChildReference(string Property, LocationInfo? Location) : ModuleReference(Location);

/// <summary>One module of a stack by constant index: <c>Blocks[0]</c>.</summary>
internal sealed record IndexedChildReference(string Property, int Index, LocationInfo? Location) : ModuleReference(Location);

/// <summary>The variable of a <c>foreach</c> over a stack: <c>block</c> in <c>block.Forward(x)</c>.</summary>
internal sealed record LoopVariableReference(string Name, LocationInfo? Location) : ModuleReference(Location);

/// <summary><c>module.Forward(args)</c>: the module's [Forward] inlined with its parameters under the module's prefix.</summary>
internal sealed record ModuleCallExpression(ModuleReference Module, string Method, EquatableArray<Expression> Arguments, LocationInfo? Location) : Expression(Location);

/// <summary><c>foreach (var block in Blocks) body</c>: the body unrolled once per module of the stack.</summary>
internal sealed record ForEachModuleStatement(string Variable, string Property, EquatableArray<Statement> Body, LocationInfo? Location) : Statement(Location);

/// <summary>
/// What the [Module] pipeline writes a module's generated part from: the module, where it is
/// declared, and every layer and child declaration that needs a body (valid or not).
/// </summary>
internal sealed record ModuleFile
{
    public required ModuleSpec Module { get; init; }

    public required string Namespace { get; init; }

    /// <summary>The declarations of the types the module is nested in, outermost first.</summary>
    public required EquatableArray<string> ContainingTypes { get; init; }

    /// <summary>The namespace and containing types with the name: the prefix of the generated file's name.</summary>
    public required string FullName { get; init; }

    public required EquatableArray<LayerStub> LayerStubs { get; init; }

    public required EquatableArray<PropertyStub> ChildStubs { get; init; }
}

/// <summary>
/// A child property's partial declaration as the user wrote it, for a fallback body:
/// <paramref name="Setter"/> is "set" or "init" when it declares one (a mistake the generator
/// reports, but the body must still match), else empty.
/// </summary>
internal sealed record PropertyStub(string Name, string Declaration, string Setter)
{
    /// <summary>The declaration with accessors that all throw <paramref name="failure"/> (a <c>throw</c> expression).</summary>
    public string Body(string failure) =>
        Declaration + " { get => " + failure + ";" + (Setter.Length > 0 ? " " + Setter + " => " + failure + ";" : "") + " }";
}

/// <summary>The [Module] pipeline's parse: the file to write when the class could be read, and what went wrong.</summary>
internal sealed record ModuleParseResult(ModuleFile? File, EquatableArray<DiagnosticInfo> Diagnostics);
