using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Emit;
using Dsl.Generator.Parsing;
using Dsl.Generator.Pipeline;
using Dsl.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generator;

/// <summary>
/// The DSL's incremental generator. For each [Model] class: parse it into a plain
/// <see cref="ModelSpec"/>, compile the spec (lower, check, differentiate, fuse, emit), and add
/// the resulting files. Each step returns a value that compares by structure and holds nothing
/// from the compilation, so an edit elsewhere re-runs nothing (see the incrementality tests).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DslGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline's steps, for the incrementality tests.</summary>
    public static class Steps
    {
        public const string Parse = nameof(Parse);
        public const string Compile = nameof(Compile);
        public const string Sources = nameof(Sources);
        public const string Diagnostics = nameof(Diagnostics);
        public const string Transform = nameof(Transform);
        public const string CustomRule = nameof(CustomRule);
        public const string Module = nameof(Module);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Roslyn calls a ForAttributeWithMetadataName transform again for every marked class on
        // every compilation change; the caches answer for classes the change cannot affect.
        // The modules' readings are shared by every model and module holding them.
        var models = new ParseCache<ParseResult>();
        var readings = new ParseCache<ModuleCatalog.Reading>();
        IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.ModelAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                (context, cancellationToken) => models.Get(context, cancellationToken, (c, t) => ModelParser.Parse(c, t, readings)))
            .WithTrackingName(Steps.Parse);

        IncrementalValuesProvider<CompileResult> compiled = parsed
            .Select(static (parse, _) => ModelCompiler.Compile(parse))
            .WithTrackingName(Steps.Compile);

        // Sources and diagnostics are separate outputs, so a change that only moves a diagnostic
        // does not re-add the sources (dotnet/runtime#92509).
        IncrementalValuesProvider<EquatableArray<GeneratedSource>> sources = compiled
            .Select(static (result, _) => result.Sources)
            .WithTrackingName(Steps.Sources);
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = compiled
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(Steps.Diagnostics);

        RegisterModules(context, readings);
        foreach (Transforms.TransformKind kind in System.Enum.GetValues(typeof(Transforms.TransformKind)))
            RegisterTransform(context, kind);
        foreach (string rule in new[] { Parsing.Functions.CustomRules.VjpAttribute, Parsing.Functions.CustomRules.JvpAttribute })
            RegisterRuleCheck(context, rule);

        context.RegisterSourceOutput(sources, static (output, files) =>
        {
            foreach (GeneratedSource file in files)
                output.AddSource(file.HintName, file.Text);
        });
        RegisterDiagnostics(context, diagnostics);
    }

    /// <summary>
    /// Reports cached diagnostics in the current compilation's trees, so pragmas apply to them.
    /// Joining the compilation re-runs only this lookup on an edit, never the step that found them.
    /// </summary>
    private static void RegisterDiagnostics(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics) =>
        context.RegisterSourceOutput(
            diagnostics.Combine(context.CompilationProvider),
            static (output, pair) =>
            {
                foreach (DiagnosticInfo info in pair.Left)
                    output.ReportDiagnostic(info.ToDiagnostic(pair.Right));
            });

    /// <summary>
    /// One pipeline per transform attribute ([Grad], [Jvp], ...): parse and derive the method
    /// (Roslyn is needed to read the source functions it reaches), then emit its file.
    /// </summary>
    private static void RegisterTransform(IncrementalGeneratorInitializationContext context, Transforms.TransformKind kind)
    {
        IncrementalValuesProvider<DerivedMethodResult> derived = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Transforms.TransformKinds.AttributeName(kind),
                static (node, _) => node is MethodDeclarationSyntax,
                static (context, cancellationToken) => TransformParser.Parse(context, cancellationToken))
            .WithTrackingName(Steps.Transform);
        RegisterDiagnostics(context, derived.Select(static (result, _) => result.Diagnostics));
        context.RegisterSourceOutput(derived, static (output, result) =>
        {
            if (result.Fallback is { } fallback)
                output.AddSource(fallback.HintName, Emit.CSharp.Functions.DerivedMethodEmitter.EmitFailed(fallback));
            if (result.Spec is { } spec)
            {
                GeneratedSource file = TransformCompiler.Emit(spec, out DiagnosticInfo? failure);
                if (failure is not null) output.ReportDiagnostic(failure.ToDiagnostic());
                output.AddSource(file.HintName, file.Text);
            }
        });
    }

    /// <summary>
    /// The [Module] pipeline: each module's own generated part (constructor, eager layers,
    /// children) and its problems, reported once here rather than by every model that holds it.
    /// </summary>
    private static void RegisterModules(IncrementalGeneratorInitializationContext context, ParseCache<ModuleCatalog.Reading> readings)
    {
        var cache = new ParseCache<ModuleParseResult>();
        IncrementalValuesProvider<ModuleParseResult> modules = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.ModuleAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                (context, cancellationToken) => cache.Get(context, cancellationToken, (c, t) => ModelParser.ParseModule(c, t, readings)))
            .WithTrackingName(Steps.Module);
        RegisterDiagnostics(context, modules.Select(static (result, _) => result.Diagnostics));
        context.RegisterSourceOutput(modules, static (output, result) =>
        {
            if (result.File is { } file)
            {
                GeneratedSource source;
                try
                {
                    source = Emit.CSharp.ModuleEmitter.Emit(file);
                }
                catch (System.Exception e)
                {
                    output.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Module.Location, "emitting the module", e.GetType().Name + ": " + e.Message).ToDiagnostic());
                    return;
                }
                output.AddSource(source.HintName, source.Text);
            }
        });
    }

    /// <summary>[CustomVjp] and [CustomJvp] rules are checked on their own, so each problem is reported once, at the rule.</summary>
    private static void RegisterRuleCheck(IncrementalGeneratorInitializationContext context, string attribute)
    {
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> problems = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (context, cancellationToken) => CustomRuleParser.Parse(context, cancellationToken))
            .WithTrackingName(Steps.CustomRule);
        RegisterDiagnostics(context, problems);
    }
}
