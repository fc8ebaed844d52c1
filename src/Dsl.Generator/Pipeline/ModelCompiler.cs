using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Autodiff;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Emit;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Pipeline;

/// <summary>What compiling one model produced: the files to add and the diagnostics to report.</summary>
internal sealed record CompileResult(EquatableArray<GeneratedSource> Sources, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// The compiler core, free of Roslyn: lower to IR (checking shapes), differentiate the training
/// step, plan fusion and buffers, emit. Any exception becomes DSL9999 at the model, so the
/// generator never throws and never silently drops a file.
/// </summary>
internal static class ModelCompiler
{
    /// <summary>Compiles a parsed model, unless parsing already failed.</summary>
    public static CompileResult Compile(ParseResult parse)
    {
        if (parse.Model is null)
            return new CompileResult(EquatableArray<GeneratedSource>.Empty, parse.Diagnostics);
        if (parse.ModuleFailed || parse.Diagnostics.Any(d => !d.Descriptor.IsWarning))
            return new CompileResult(EquatableArray.Of(ModelEmitter.EmitFailed(parse.Model)), parse.Diagnostics);
        CompileResult result = Compile(parse.Model);
        return result with { Diagnostics = parse.Diagnostics.Concat(result.Diagnostics).ToEquatableArray() };
    }

    public static CompileResult Compile(ModelSpec spec)
    {
        var diagnostics = new List<DiagnosticInfo>();
        string stage = "lowering the model to IR";
        try
        {
            LoweredModel? lowered = ModelLowering.Lower(spec, diagnostics);
            if (lowered is null)
                return Result(new[] { ModelEmitter.EmitFailed(spec) }, diagnostics);

            foreach (LoweredEntry entry in new[] { lowered.Forward, lowered.Train, lowered.Validation }.OfType<LoweredEntry>())
                Verifier.Verify(entry.Graph, "lowering " + entry.MethodName);

            stage = "differentiating the training step";
            Graph? trainGraph = lowered.Train is { } train ? ReverseMode.Differentiate(train.Graph) : null;
            if (trainGraph is not null)
                Verifier.Verify(trainGraph, "differentiation");

            stage = "planning kernels and buffers";
            ParameterLayout layout;
            try
            {
                layout = new ParameterLayout(lowered.Layers);
            }
            catch (OverflowException)
            {
                // Each layer fits (lowering checks every tensor), but together they overflow the buffer's int offsets.
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TensorTooLarge, spec.Location, "The parameter buffer of " + spec.Name, int.MaxValue));
                return Result(new[] { ModelEmitter.EmitFailed(spec) }, diagnostics);
            }
            var planner = new BufferPlanner();
            CompiledEntry Plan(LoweredEntry entry, Graph graph) => new(entry, planner.Plan(graph, layout));
            CompiledEntry forward = Plan(lowered.Forward, lowered.Forward.Graph);
            CompiledEntry? trainEntry = lowered.Train is { } t ? Plan(t, trainGraph!) : null;
            CompiledEntry? validation = lowered.Validation is { } v ? Plan(v, v.Graph) : null;
            var deviceSlots = planner.Slots.ToList();
            // Planned last, so its own slots (the gradients') come after every other entry's.
            CompiledEntry? inParts = lowered.Train is { } u && spec.OptimizerMethod is not null
                && planner.PlanInParts(trainGraph!, layout) is { } parts
                ? new CompiledEntry(u with { MethodName = u.MethodName + "InParts" }, parts)
                : null;
            var model = new CompiledModel(spec, lowered, layout, forward, trainEntry, validation, inParts, planner.Slots.ToList(), deviceSlots);

            stage = "emitting C#";
            GeneratedSource api = ModelEmitter.Emit(model), cpu = CpuProgramEmitter.Emit(model);
            stage = "emitting OpenCL";
            return Result(new[] { api, cpu, Emit.OpenCl.OpenClProgramEmitter.Emit(model) }, diagnostics);
        }
        catch (Exception e)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, spec.Location, stage, e.GetType().Name + ": " + e.Message));
            return Result(new[] { ModelEmitter.EmitFailed(spec) }, diagnostics);
        }
    }

    private static CompileResult Result(IEnumerable<GeneratedSource> sources, List<DiagnosticInfo> diagnostics) =>
        new(sources.ToEquatableArray(), diagnostics.ToEquatableArray());
}
