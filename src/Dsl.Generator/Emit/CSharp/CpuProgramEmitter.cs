using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Pipeline;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Emit.CSharp;

/// <summary>
/// Writes <c>{Model}.Cpu.g.cs</c>: the model's program for the CPU. Each entry point is a fixed
/// sequence of calls (GEMMs, row kernels and fused SIMD loops split over the cores) over arrays
/// allocated once, so a step allocates nothing. This file holds the class shell and the entry
/// points; the steps and the fused loops are written by the other parts of this class.
/// </summary>
internal static partial class CpuProgramEmitter
{
    public static GeneratedSource Emit(CompiledModel model)
    {
        var w = new SourceWriter();
        FileHeader.Write(w, "The CPU program of " + model.Spec.Name + ": C# with Vector256 SIMD, GEMM from Dsl.Kernels, both cores.");
        w.Line("// For extension methods (AsSpan, StoreUnsafe) only; every type is written global::-qualified.");
        w.Line("using System;");
        w.Line("using System.Runtime.Intrinsics;");
        w.Line();
        int blocks = FileHeader.OpenModel(w, model.Spec);

        w.Line("/// <summary>" + model.Spec.Name + " compiled for the CPU.</summary>");
        w.Line(TypeNames.GeneratedCodeAttribute);
        w.Open("private sealed class CpuProgram : Program");
        var loops = new LoopTable(model);
        WriteFields(w, model, loops);
        WriteConstructor(w, model, loops);
        WriteForward(w, model, model.Forward, loops);
        if (model.Train is { } train) WriteTrain(w, model, train, loops);
        if (model.Validation is { } validation) WriteValidation(w, model, validation, loops);
        foreach (LoopTable.Loop loop in loops.Unique)
            WriteKernel(w, loops, loop);
        w.Close();

        FileHeader.Close(w, blocks);
        return new GeneratedSource(FileHeader.HintName(model.Spec, "Cpu"), w.ToString());
    }

    private static void WriteFields(SourceWriter w, CompiledModel model, LoopTable loops)
    {
        w.Line("// The model's flat parameter buffer, read and trained in place.");
        w.Line("private readonly float[] _parameters;");
        w.Line("// Which copy of the parameters is newest: a device program on the same model may have trained its own.");
        w.Line($"private readonly {TypeNames.HostDeviceState} _parameterState;");
        if (model.Train is not null)
        {
            w.Line("// Gradients of the batch loss, laid out like the parameters: made by the first step that");
            w.Line(model.TrainInParts is null
                ? "// needs them, so that a program that only predicts never holds them."
                : "// needs them all (ValueAndGrad, or TrainStep with clipping or merged hook buckets); TrainStep otherwise updates each parameter from its own gradient.");
            w.Line("private float[] _gradients = global::System.Array.Empty<float>();");
            if (model.Spec.OptimizerMethod is not null)
            {
                w.Line("// The optimizer's state: its own, or one a training strategy put in its place (ZeRO-1's shard).");
                w.Line("private " + TypeNames.OptimizerState + " _optimizer;");
            }
        }
        w.Line();
        w.Line("// Inputs, copied from the caller's spans once they are checked (a float input that only library");
        w.Line("// calls read is checked and read in place).");
        foreach (EntryInput input in CopiedInputs(model))
            w.Line($"private readonly {(input.Kind.IsInts() ? "int" : "float")}[] {BufferPlanner.InputField(input.Name)}; // {ProgramApiEmitter.BatchShape(input)}");
        w.Line();
        w.Line("// Scratch arrays, each shared by values whose lifetimes do not overlap.");
        foreach (Slot slot in model.Slots)
            w.Line($"private readonly float[] {slot.Field}; // {(slot.Batched ? "[B, " + slot.PerExample + "]" : "[" + slot.PerExample + "]")}");
        w.Line();
        w.Line("// Fused loops as delegates, made once so that splitting work over the cores allocates nothing.");
        foreach (LoopTable.Loop loop in loops.Unique.Where(l => l.Entry.Graph[l.Step.Root].Batched))
            w.Line($"private readonly {(loop.IsEpilogue ? TypeNames.GemmEpilogue : TypeNames.Action)} {loops.Field(loop.Entry, loop.Step)};");
        if (model.Train is not null)
        {
            // Only a training step has a backward pass to seed: without one the field would be
            // unused (CS0169, or CS0649 where a loop reads it), an error under warnings-as-errors.
            w.Line();
            w.Line("// The cotangent that seeds the backward pass: 1/B for a batch-mean loss, 1 for a sum.");
            w.Line("private float _seed;");
            w.Line("// The batch size of the last training step, for ExampleLosses.");
            w.Line("private int _lastTrainBatch;");
            if (LossesMove(model))
            {
                w.Line("// Whether the last training step updated in parts, whose plan keeps the example losses elsewhere.");
                w.Line("private bool _lastTrainInParts;");
            }
        }
    }

    private static void WriteConstructor(SourceWriter w, CompiledModel model, LoopTable loops)
    {
        w.Line();
        w.Line($"public CpuProgram({model.Spec.SelfType} model, {TypeNames.Device} device, int maxBatch, {TypeNames.LossReduction} lossReduction)");
        w.Line("    : base(device, maxBatch, lossReduction)");
        w.Line("{");
        w.Indent();
        w.Line("_parameters = model.Parameters.Buffer;");
        w.Line("_parameterState = model.Parameters.Residency;");
        if (model.Train is not null && model.Spec.OptimizerMethod is { } optimizer)
            w.Line($"_optimizer = {model.Spec.GlobalSelfType}.{optimizer}().CreateState(ParameterCount);"); // qualified: a nested program inherits object.Equals and the like
        foreach (EntryInput input in CopiedInputs(model))
            w.Line($"{BufferPlanner.InputField(input.Name)} = new {(input.Kind.IsInts() ? "int" : "float")}[maxBatch{(input.Shape.Size == 1 ? "" : " * " + input.Shape.Size)}];");
        foreach (Slot slot in model.Slots)
            w.Line($"{slot.Field} = new float[{(slot.Batched ? "maxBatch" + (slot.PerExample == 1 ? "" : " * " + slot.PerExample) : Literals.Int(slot.PerExample))}];");
        foreach (LoopTable.Loop loop in loops.Unique.Where(l => l.Entry.Graph[l.Step.Root].Batched))
            w.Line($"{loops.Field(loop.Entry, loop.Step)} = {loops.Name(loop.Entry, loop.Step)};");
        w.Unindent();
        w.Line("}");
    }

    private static void WriteForward(SourceWriter w, CompiledModel model, CompiledEntry entry, LoopTable loops)
    {
        w.Line();
        w.Open($"private protected override void PredictCore({ProgramApiEmitter.Parameters(entry)}, {ProgramApiEmitter.OutputParameters(entry)})");
        WriteLoadInputs(w, entry);
        foreach (string check in OutputChecks(entry))
            w.Line(check);
        w.Line();
        WriteSteps(w, entry, loops);
        w.Line();
        if (!entry.HasSeveralOutputs)
        {
            w.Line("// Output");
            w.Line(ReadValue(entry, entry.Output.Id, "output"));
        }
        else
        {
            w.Line("// Outputs, each to its span unless the caller skips it");
            foreach (var (name, node) in entry.Outputs)
                w.Line($"if (!{name}.IsEmpty) {ReadValue(entry, node.Id, name)}");
        }
        w.Close();
    }

    /// <summary>
    /// The length checks of Predict's output spans, shared with the device program: exact for one
    /// output; for several, an empty span skips its output.
    /// </summary>
    internal static IEnumerable<string> OutputChecks(CompiledEntry entry)
    {
        if (!entry.HasSeveralOutputs)
        {
            int size = entry.Output.Shape.Size;
            yield return $"CheckLength<float>(output, \"output\", \"[B, {size}]\", batch * {size});";
            yield break;
        }
        foreach (var (name, node) in entry.Outputs)
            yield return $"if (!{name}.IsEmpty) CheckLength<float>({name}, {Literals.String(name)}, {Literals.String(ProgramApiEmitter.BatchShape(node.Shape))}, batch{(node.Shape.Size == 1 ? "" : " * " + Literals.Int(node.Shape.Size))});";
    }

    private static void WriteTrain(SourceWriter w, CompiledModel model, CompiledEntry entry, LoopTable loops)
    {
        if (model.TrainInParts is { } parts)
            WriteTrainStepInParts(w, entry, parts);
        else
            TrainingEntryPoints.WriteTrainStep(w, model, entry, [EndHandOver, "_parameterState.HostWrites();", model.Parameters.Buffers.Count == 0
                ? "_optimizer.Update(_parameters, _gradients);"
                : "_optimizer.Update(_parameters.AsSpan(0, ParameterCount), _gradients); // the buffers after them are the step's own"], "_optimizer", BeginHandOver);
        if (model.Spec.OptimizerMethod is not null)
            WriteReplaceOptimizerState(w);
        TrainingEntryPoints.WriteValueAndGrad(w, entry, "_gradients.CopyTo(gradients);");

        Node loss = entry.Graph[entry.Graph.OutputsOf(OutputRole.Loss).Single().Node];
        w.Line();
        w.Line($"/// <summary>[TrainingStep] {entry.MethodName} forward, then its derivative: the batch-mean loss, with its gradients in <c>_gradients</c>.</summary>");
        w.Open($"private float ComputeGradients({ProgramApiEmitter.Parameters(entry)})");
        WriteLoadInputs(w, entry);
        w.Line("if (_gradients.Length != ParameterCount)");
        w.Line("    _gradients = new float[ParameterCount];");
        w.Line($"_seed = LossReduction == {TypeNames.LossReduction}.Sum ? 1f : 1f / batch;");
        w.Line("_lastTrainBatch = batch;");
        if (LossesMove(model))
            w.Line("_lastTrainInParts = false;");
        w.Line();
        WriteSteps(w, entry, loops, handOver: GradientBuckets.FinalAfter(model));
        WriteBufferUpdates(w, model, entry);
        w.Line();
        w.Line("float loss = " + MeanOf(entry, loss.Id) + ";");
        WriteMetrics(w, model, entry, loss.Id);
        w.Line($"return LossReduction == {TypeNames.LossReduction}.Sum ? loss * batch : loss;");
        w.Close();

        if (model.TrainInParts is { } inParts)
            WriteInParts(w, model, inParts, loops);

        w.Line();
        w.Line($"private protected override {TypeNames.ReadOnlySpan}<float> ExampleLossesCore =>");
        string Losses(CompiledEntry e) => $"{e.Plan.Storage[loss.Id].Field}.AsSpan({Literals.Int(e.Plan.Storage[loss.Id].Offset)}, _lastTrainBatch)";
        if (!entry.Plan.Storage.ContainsKey(loss.Id) || !loss.Batched)
            w.Line($"    {TypeNames.ReadOnlySpan}<float>.Empty; // the loss does not depend on the example");
        else if (LossesMove(model))
            w.Line($"    _lastTrainInParts ? {Losses(model.TrainInParts!)} : {Losses(entry)};");
        else
            w.Line($"    {Losses(entry)};");
    }

    /// <summary>
    /// Stores the step's new buffer values (BatchNorm's running statistics) in their places after the
    /// parameters, as a training-mode forward pass does in PyTorch; a host write of the store.
    /// </summary>
    private static void WriteBufferUpdates(SourceWriter w, CompiledModel model, CompiledEntry entry)
    {
        var updates = entry.Graph.OutputsOf(OutputRole.BufferUpdate).ToList();
        if (updates.Count == 0) return;
        w.Line();
        w.Line("// The buffers' new values (running statistics), stored after the parameters");
        w.Line("_parameterState.HostWrites();");
        foreach (GraphOutput update in updates)
        {
            ParameterSlot slot = model.Parameters[update.Name];
            w.Line(ReadValue(entry, update.Node, $"_parameters.AsSpan({Literals.Int(slot.Offset)}, {Literals.Int(slot.Length)})") + " // " + update.Name);
        }
    }

    /// <summary>Whether the two training plans keep the example losses in different arrays.</summary>
    private static bool LossesMove(CompiledModel model)
    {
        if (model.Train is not { } train || model.TrainInParts is not { } parts) return false;
        int loss = train.Graph.OutputsOf(OutputRole.Loss).Single().Node;
        return train.Plan.Storage.TryGetValue(loss, out Storage? flat) && parts.Plan.Storage.TryGetValue(loss, out Storage? inParts) && flat != inParts;
    }

    /// <summary>Arms the hand-over of buckets to the gradient hook as the backward pass makes them final (nothing without a hook).</summary>
    private const string BeginHandOver = "BeginGradientHandOver();";

    /// <summary>Hands the hook what is left and lets it finish its buckets (a data-parallel all-reduce), between the backward pass and the update.</summary>
    private const string EndHandOver = "EndGradientHandOver(_gradients);";

    /// <summary>Lets a training strategy put its own optimizer state in place of the program's (ZeRO-1's shard).</summary>
    private static void WriteReplaceOptimizerState(SourceWriter w)
    {
        w.Line();
        w.Open($"protected override bool TryReplaceOptimizerState({TypeNames.OptimizerState} state)");
        w.Line("_optimizer = state;");
        w.Line("return true;");
        w.Close();
    }

    /// <summary>
    /// TrainStep that updates each parameter as its gradient is final when the optimizer can
    /// (no clipping) and the hook sees one parameter at a time, and otherwise computes the whole
    /// gradient first, handing the hook each bucket as it is final, and updates all at once.
    /// </summary>
    private static void WriteTrainStepInParts(SourceWriter w, CompiledEntry entry, CompiledEntry parts)
    {
        w.Line();
        w.Open($"private protected override float TrainStepCore({ProgramApiEmitter.Parameters(entry)})");
        w.Line("if (_optimizer.CanUpdateInParts && HooksEachParameter)");
        w.Line($"    return {parts.MethodName}({string.Join(", ", entry.Inputs.Select(i => i.Name))});");
        w.Line(BeginHandOver);
        w.Line($"float loss = ComputeGradients({string.Join(", ", entry.Inputs.Select(i => i.Name))});");
        w.Line("if (!float.IsFinite(loss))");
        w.Line("    throw new " + TypeNames.NonFiniteLossException + "(\"TrainStep\", loss);");
        w.Line(EndHandOver);
        w.Line("_parameterState.HostWrites();");
        w.Line("_optimizer.Update(_parameters, _gradients);");
        w.Line("return loss;");
        w.Close();
        w.Line();
        w.Line($"public override {TypeNames.OptimizerState}? OptimizerState => _optimizer;");
    }

    /// <summary>
    /// The training step in parts: the same forward and backward, with each parameter updated by
    /// <c>UpdatePart</c> once its gradient is final and nothing reads its old value, so gradients
    /// share slots instead of a buffer for all of them. The loss is checked before the first
    /// update: a step whose loss is not finite changes nothing, as with the whole gradient.
    /// </summary>
    private static void WriteInParts(SourceWriter w, CompiledModel model, CompiledEntry entry, LoopTable loops)
    {
        Node loss = entry.Graph[entry.Graph.OutputsOf(OutputRole.Loss).Single().Node];
        w.Line();
        w.Line($"/// <summary>[TrainingStep] {model.Train!.MethodName} forward, then its derivative, each parameter updated as soon as its gradient is final: the batch-mean loss.</summary>");
        w.Open($"private float {entry.MethodName}({ProgramApiEmitter.Parameters(entry)})");
        WriteLoadInputs(w, entry);
        w.Line($"_seed = LossReduction == {TypeNames.LossReduction}.Sum ? 1f : 1f / batch;");
        w.Line("_lastTrainBatch = batch;");
        if (LossesMove(model))
            w.Line("_lastTrainInParts = true;");
        w.Line();
        bool begun = false;
        var bucketOf = GradientBuckets.Plan(model).Select((b, i) => (b, i)).ToDictionary(x => x.b.Parameters.Single(), x => x.i);
        WriteSteps(w, entry, loops, update =>
        {
            if (!begun)
            {
                begun = true;
                w.Line("// The loss is known: a step whose loss is not finite stops before it changes a parameter.");
                w.Line("float loss = " + MeanOf(entry, loss.Id) + ";");
                w.Line($"float stepLoss = LossReduction == {TypeNames.LossReduction}.Sum ? loss * batch : loss;");
                w.Line("if (!float.IsFinite(stepLoss))");
                w.Line("    throw new " + TypeNames.NonFiniteLossException + "(\"TrainStep\", stepLoss);");
                w.Line("_parameterState.HostWrites();");
                w.Line("_optimizer.BeginStepInParts();");
            }
            w.Line($"// update {update.Parameter} from its gradient %{update.Node}, once the gradient hook (if any) has seen it");
            w.Line("if (GradientHook is { } hook" + Literals.Int(update.Offset) + ")");
            w.Line($"    hook{Literals.Int(update.Offset)}.OnBucketReady(ParameterBuckets[{Literals.Int(bucketOf[update.Parameter])}], new {TypeNames.BucketGradients}({SpanOf(entry, update.Node)}));");
            w.Line($"_optimizer.UpdatePart(_parameters.AsSpan({Literals.Int(update.Offset)}, {Literals.Int(update.Size)}), {Literals.Int(update.Offset)}, {SpanOf(entry, update.Node)});");
        });
        w.Line("_optimizer.EndStepInParts();");
        WriteMetrics(w, model, entry, loss.Id);
        w.Line("return stepLoss;");
        w.Close();
    }

    private static void WriteValidation(SourceWriter w, CompiledModel model, CompiledEntry entry, LoopTable loops)
    {
        w.Line();
        w.Open($"private protected override void EvalStepCore({ProgramApiEmitter.Parameters(entry)})");
        WriteLoadInputs(w, entry);
        w.Line();
        WriteSteps(w, entry, loops);
        WriteMetrics(w, model, entry);
        w.Close();
    }

    /// <summary>Checks and copies the caller's spans; NaN or an out-of-range label throws, naming the input.</summary>
    private static void WriteLoadInputs(SourceWriter w, CompiledEntry entry)
    {
        w.Line("ThrowIfDisposed();");
        w.Line("_parameterState.SyncHost(); // the newest parameters, if a device program trained them");
        InputChecks.Write(w, entry, input => ReadsInPlace(entry, input.Name) ? null : BufferPlanner.InputField(input.Name));
    }

    /// <summary>
    /// Whether an entry reads a float input straight from the caller's span: when no fused loop
    /// reads it (a loop is a method of its own, handed to the cores, and reads arrays through
    /// fields), only library calls do, and they take spans. Saves the copy and its array.
    /// </summary>
    internal static bool ReadsInPlace(CompiledEntry entry, string input)
    {
        if (entry.Inputs.FirstOrDefault(i => i.Name == input) is not { } found || found.Kind.IsInts()) return false;
        Graph g = entry.Graph;
        var nodes = new HashSet<int>(g.Nodes.Where(n => n.Op == OpKind.Input && n.Name == input).Select(n => n.Id));
        return !entry.Plan.Steps.OfType<ElementwiseStep>().Any(e => e.Chain.Any(id => g[id].Inputs.Any(nodes.Contains)));
    }

    /// <summary>The input arrays the program keeps: those that some entry copies.</summary>
    private static IEnumerable<EntryInput> CopiedInputs(CompiledModel model) =>
        model.InputArrays.Where(i => model.CpuEntries.Any(e => e.Inputs.Any(j => j.Name == i.Name) && !ReadsInPlace(e, i.Name)));

    /// <summary>Sets each logged metric to its batch mean; a metric that is the loss reuses it.</summary>
    private static void WriteMetrics(SourceWriter w, CompiledModel model, CompiledEntry entry, int loss = -1)
    {
        var metrics = entry.Graph.OutputsOf(OutputRole.Metric).ToList();
        if (metrics.Count == 0) return;
        w.Line();
        w.Line("// Logged values, averaged over the batch");
        foreach (GraphOutput metric in metrics)
        {
            int index = model.MetricNames.ToList().IndexOf(metric.Name);
            w.Line($"Metrics.Set({index}, {(metric.Node == loss ? "loss" : MeanOf(entry, metric.Node))}); // {metric.Name}");
        }
    }
}
