using System;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Dsl.Generator.Parsing;

/// <summary>
/// The semantic model the parsers read method bodies with (model and module methods, constant
/// initializers, the functions a transform differentiates).
/// </summary>
/// <remarks>
/// Nullable analysis is off: the parsers ask for symbols, constants and types, never for
/// nullable flow state, and in a project with <c>&lt;Nullable&gt;enable</c> the first question
/// about a body otherwise runs C#'s nullable walker over the whole method. Every edit of a model's
/// file re-parses the model (Roslyn re-runs the step on the new compilation), so that walk was
/// most of the parse step's time (issue 21). Every body model comes from here, so symbols compared
/// across them (locals bound by the constant folder) come from models made alike.
/// </remarks>
internal static class BodySemanticModel
{
    private static bool s_optionAvailable = true;

    /// <summary>A semantic model of <paramref name="bound"/>'s tree, noting <paramref name="bound"/> as read (<see cref="TreesRead"/>): bind only inside its region.</summary>
    public static SemanticModel For(Compilation compilation, SyntaxNode bound)
    {
        TreesRead.Note(bound);
        SyntaxTree tree = bound.SyntaxTree;
        if (s_optionAvailable)
        {
            try
            {
                return WithoutNullableAnalysis(compilation, tree);
            }
            catch (MissingMethodException)
            {
                s_optionAvailable = false; // a Roslyn that dropped the experimental overload: same answers, only slower
            }
        }
        return compilation.GetSemanticModel(tree);
    }

    // Not inlined, so that a Roslyn without the overload fails when this method is compiled, inside For's try.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SemanticModel WithoutNullableAnalysis(Compilation compilation, SyntaxTree tree) =>
#pragma warning disable RSEXPERIMENTAL001 // experimental since Roslyn 4.9 (dotnet/roslyn#70609); For falls back if it is removed
        compilation.GetSemanticModel(tree, SemanticModelOptions.DisableNullableAnalysis);
#pragma warning restore RSEXPERIMENTAL001
}
