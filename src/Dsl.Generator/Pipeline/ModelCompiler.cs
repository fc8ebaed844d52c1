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
        if (parse.ModuleFailed || parse.HasDuplicateMethods || parse.Diagnostics.Any(d => !d.Descriptor.IsWarning))
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
            if (ModuleLimits.FirstTooLarge(spec) is { } stack)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRepeat, stack.Location, stack.PropertyName,
                    $"brings the model, with the stacks inside its modules, to more than {ModuleLimits.MaxModules} modules, each unrolled into the generated code"));
                return Result(new[] { ModelEmitter.EmitFailed(spec) }, diagnostics);
            }

            LoweredModel? lowered = ModelLowering.Lower(spec, diagnostics);
            if (lowered is null)
                return Result(new[] { ModelEmitter.EmitFailed(spec) }, diagnostics);

            foreach (LoweredEntry entry in new[] { lowered.Forward, lowered.Train, lowered.Validation }.OfType<LoweredEntry>())
                Verifier.Verify(entry.Graph, "lowering " + entry.MethodName);

            stage = "differentiating the training step";
            Graph? trainGraph = lowered.Train is { } train ? ReverseMode.Differentiate(train.Graph) : null;
            if (trainGraph is not null)
                Verifier.Verify(trainGraph, "differentiation");

            stage = "laying out the parameters";
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

            stage = "checking which parameters the loss trains";
            if (lowered.Train is { } step && !CheckLossTrains(step, trainGraph!, layout, diagnostics))
                return Result(new[] { ModelEmitter.EmitFailed(spec) }, diagnostics);

            stage = "planning kernels and buffers";
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

            using (StepComments.DescribeOncePerNode()) // every program comments on the same nodes
            {
                stage = "emitting C#";
                GeneratedSource api = ModelEmitter.Emit(model), cpu = CpuProgramEmitter.Emit(model);
                stage = "emitting OpenCL";
                GeneratedSource device = Emit.Device.DeviceProgramEmitter.Emit(model);
                stage = "emitting the ONNX graph";
                return Result(new[] { api, cpu, device, Emit.Onnx.OnnxExportEmitter.Emit(model) }, diagnostics);
            }
        }
        catch (Exception e)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, spec.Location, stage, e.GetType().Name + ": " + e.Message));
            return Result(new[] { ModelEmitter.EmitFailed(spec) }, diagnostics);
        }
    }

    /// <summary>
    /// Reports a loss that trains no parameter (an error: every gradient would be zero, as for
    /// <c>1 - Accuracy(...)</c>) or a layer it does not train (a warning, once per layer naming its
    /// parameters: a layer used only for prediction can be intended). Both are reported at the
    /// step's <c>return</c>, because the fix is there, in the loss, and the layer's declaration may
    /// be in a module other models train. Returns false after an error.
    /// </summary>
    private static bool CheckLossTrains(LoweredEntry step, Graph differentiated, ParameterLayout layout, List<DiagnosticInfo> diagnostics)
    {
        var untrained = new HashSet<string>(GradientReach.Untrained(differentiated, layout.Slots.Select(s => s.Name)));
        if (untrained.Count == 0)
            return true;
        LocationInfo? at = step.ReturnLocation ?? step.Location;
        if (untrained.Count == layout.Slots.Count)
        {
            List<string> cuts = DescribeCuts(GradientReach.Cuts(step.Graph, untrained));
            string why = cuts.Count == 0
                ? "it is not computed from any parameter"
                : "it depends on the parameters only through " + JoinWithAnd(cuts) + ", which " + (cuts.Count == 1 ? "has" : "have") + " no derivative";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossWithoutGradient, at, step.MethodName, why));
            return false;
        }
        foreach (IGrouping<string, ParameterSlot> layer in layout.Slots.Where(s => untrained.Contains(s.Name)).GroupBy(s => s.Layer))
        {
            var names = layer.Select(s => s.Name).ToList();
            List<string> cuts = DescribeCuts(GradientReach.Cuts(step.Graph, names));
            string why = cuts.Count == 0
                ? "the loss is not computed from it"
                : "the loss reaches it only through " + JoinWithAnd(cuts) + ", which " + (cuts.Count == 1 ? "passes" : "pass") + " no gradient";
            string parameters = (names.Count == 1 ? "its parameter " : "its parameters ") + JoinWithAnd(names.Select(n => "'" + n + "'").ToList());
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UntrainedLayer, at, layer.Key, step.MethodName, parameters, why));
        }
        return true;
    }

    /// <summary>Each op where the gradient stops, once, with its line: "Accuracy (Model.cs:12)".</summary>
    private static List<string> DescribeCuts(IReadOnlyList<Node> cuts) => cuts
        .Select(c => GradientReach.Describe(c) + (c.Source is { } source ? " (" + source.Describe() + ")" : ""))
        .Distinct()
        .ToList();

    /// <summary>"a", "a and b", "a, b and c".</summary>
    private static string JoinWithAnd(List<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];

    private static CompileResult Result(IEnumerable<GeneratedSource> sources, List<DiagnosticInfo> diagnostics) =>
        new(sources.ToEquatableArray(), diagnostics.Distinct().ToEquatableArray()); // an unrolled loop lowers its body once per iteration
}
