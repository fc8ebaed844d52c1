using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Generator.Tests.Fuzzing;

/// <summary>What one generator run did with one source, sorted the way the robustness rules need it.</summary>
internal enum VerdictKind
{
    /// <summary>No DSL error and nothing failed to compile: the model was accepted and its code builds.</summary>
    Compiled,
    /// <summary>The generator reported a DSL error: the user's model was rejected with a diagnostic.</summary>
    DslError,
    /// <summary>No DSL error; the C# errors are all in the user's own file (the compiler reports them there).</summary>
    CSharpErrorInUserCode,
    /// <summary>The generator threw (exception, CS8785, AD0001) or reported DSL9999: a generator bug.</summary>
    Crash,
    /// <summary>No DSL error, yet a generated file does not compile: a generator bug.</summary>
    AcceptedButUncompilable,
}

internal sealed record GeneratorVerdict(VerdictKind Kind, string Detail)
{
    public bool IsFailure => Kind is VerdictKind.Crash or VerdictKind.AcceptedButUncompilable;

    /// <summary>
    /// Runs the generator over <paramref name="source"/>, compiled with <paramref name="companions"/>
    /// (unmutated files the model's own file needs), and sorts the outcome. The compilation's own
    /// diagnostics, the slow part, are computed only for a model the generator accepted.
    /// </summary>
    public static GeneratorVerdict Of(string source, params string[] companions)
    {
        GeneratorDriverRunResult run;
        Compilation output;
        try
        {
            Compilation input = GeneratorHarness.Compilation(source)
                .AddSyntaxTrees(companions.Select((text, i) => CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, $"Companion{i}.cs")));
            run = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(input, out output, out _).GetRunResult();
        }
        catch (Exception e)
        {
            return new(VerdictKind.Crash, "the harness threw " + e);
        }

        if (run.Results[0].Exception is { } thrown)
            return new(VerdictKind.Crash, "the generator threw " + thrown);
        // DSL9999 is an internal error; CS8785 and AD0001 are the compiler's reports of a generator that threw.
        if (run.Diagnostics.FirstOrDefault(d => d.Id is "DSL9999" or "CS8785" or "AD0001") is { } crash)
            return new(VerdictKind.Crash, crash.ToString());
        if (run.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("DSL", StringComparison.Ordinal)))
            return new(VerdictKind.DslError, "");

        var generated = run.GeneratedTrees.Select(t => t.FilePath).ToHashSet();
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var inGenerated = errors.Where(d => generated.Contains(d.Location.GetLineSpan().Path)).ToList();
        if (inGenerated.Count > 0)
            return new(VerdictKind.AcceptedButUncompilable, string.Join("\n", inGenerated.Take(5)));
        return errors.Count > 0 ? new(VerdictKind.CSharpErrorInUserCode, "") : new(VerdictKind.Compiled, "");
    }
}
