using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Pipeline;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Emit.Device;

// The entry points: check and upload the inputs (and the parameters when the host wrote them), run the steps, read back
// what the caller gets. The checks are the CPU program's own (InputGuard), so bad input throws
// the same exception with the same message on every device.
internal static partial class DeviceProgramEmitter
{
    private static void WriteForward(SourceWriter w, CompiledEntry entry, Program program)
    {
        w.Line();
        w.Open($"private protected override void PredictCore({ProgramApiEmitter.Parameters(entry)}, {ProgramApiEmitter.OutputParameters(entry)})");
        WriteLoadInputs(w, entry);
        foreach (string check in CpuProgramEmitter.OutputChecks(entry))
            w.Line(check);
        w.Line();
        WriteSteps(w, entry, program);
        w.Line();
        if (!entry.HasSeveralOutputs)
        {
            w.Line("// Output, read back from the device");
            foreach (string line in ReadValue(entry, entry.Output.Id, "output"))
                w.Line(line);
        }
        else
        {
            w.Line("// Outputs, each read back from the device unless the caller skips it");
            foreach (var (name, node) in entry.Outputs)
            {
                w.Open($"if (!{name}.IsEmpty)");
                foreach (string line in ReadValue(entry, node.Id, name))
                    w.Line(line);
                w.Close();
            }
        }
        w.Close();
    }

    /// <summary>
    /// Stores the step's new buffer values (BatchNorm's running statistics) in their places after the
    /// parameters on the device, which then holds the newest store.
    /// </summary>
    private static void WriteBufferUpdates(SourceWriter w, CompiledModel model, CompiledEntry entry)
    {
        var updates = entry.Graph.OutputsOf(OutputRole.BufferUpdate).ToList();
        if (updates.Count == 0) return;
        w.Line();
        w.Line("// The buffers' new values (running statistics), stored after the parameters");
        foreach (GraphOutput update in updates)
        {
            ParameterSlot slot = model.Parameters[update.Name];
            string destination = $"_parameters.Slice({Literals.Int(slot.Offset)})";
            Node node = entry.Graph[update.Node];
            w.Line((node.Op == OpKind.Constant
                ? $"_kernels.Fill({Literals.Int(slot.Length)}, {Literals.Float(node.Constant)}, {destination});"
                : $"_kernels.Copy({Literals.Int(slot.Length)}, {Slice(entry.Plan.Storage[update.Node])}, {destination});") + " // " + update.Name);
        }
        w.Line("_parameterCopy.MarkWritten();");
    }

    private static void WriteTrain(SourceWriter w, CompiledModel model, CompiledEntry entry, Program program)
    {
        TrainingEntryPoints.WriteTrainStep(w, model, entry,
        [
            "if (GradientHook is { } hook)",
            "    RunGradientHook(hook, _gradients);",
            "// The update runs on the device, where the parameters and the moments stay: the host reads them when it asks.",
            "_optimizer.Update(_parameters, _gradients);",
            "_parameterCopy.MarkWritten();",
        ], "_optimizer.State");
        TrainingEntryPoints.WriteValueAndGrad(w, entry, "_gradients.Read(gradients);");

        Node loss = entry.Graph[entry.Graph.OutputsOf(OutputRole.Loss).Single().Node];
        w.Line();
        w.Line($"/// <summary>[TrainingStep] {entry.MethodName} forward, then its derivative: the batch-mean loss, with its gradients in <c>_gradients</c> on the device.</summary>");
        w.Open($"private float ComputeGradients({ProgramApiEmitter.Parameters(entry)})");
        WriteLoadInputs(w, entry);
        w.Line($"_seed = LossReduction == {TypeNames.LossReduction}.Sum ? 1f : 1f / batch;");
        w.Line("_lastTrainBatch = batch;");
        w.Line();
        WriteSteps(w, entry, program);
        WriteBufferUpdates(w, model, entry);
        w.Line();
        var scalars = new ScalarReads();
        w.Line("// The batch loss: the mean of the per-example losses, reduced on the device.");
        string lossValue = Reduce(w, entry, loss.Id, 0, scalars);
        if (loss.Batched)
        {
            Storage storage = entry.Plan.Storage[loss.Id];
            w.Line("// The per-example losses stay on the device until ExampleLosses asks for them.");
            w.Line($"_kernels.Copy(batch, {Slice(storage)}, _losses);");
            w.Line("_lossesOnHost = false;");
        }
        var metrics = Metrics(w, model, entry, scalars, loss.Id);
        scalars.WriteRead(w);
        w.Line($"float loss = {lossValue};");
        WriteMetrics(w, metrics);
        w.Line($"return LossReduction == {TypeNames.LossReduction}.Sum ? loss * batch : loss;");
        w.Close();

        w.Line();
        if (loss.Batched)
        {
            w.Open($"private protected override {TypeNames.ReadOnlySpan}<float> ExampleLossesCore");
            w.Open("get");
            w.Line("// Read on demand, once per step at most: a training step itself moves only its scalars.");
            w.Line("if (!_lossesOnHost)");
            w.Line("{");
            w.Line("    _losses.Read(_hostLosses.AsSpan(0, _lastTrainBatch));");
            w.Line("    _lossesOnHost = true;");
            w.Line("}");
            w.Line("return _hostLosses.AsSpan(0, _lastTrainBatch);");
            w.Close();
            w.Close();
        }
        else
        {
            w.Line($"private protected override {TypeNames.ReadOnlySpan}<float> ExampleLossesCore =>");
            w.Line($"    {TypeNames.ReadOnlySpan}<float>.Empty; // the loss does not depend on the example");
        }
    }

    private static void WriteValidation(SourceWriter w, CompiledModel model, CompiledEntry entry, Program program)
    {
        w.Line();
        w.Open($"private protected override void EvalStepCore({ProgramApiEmitter.Parameters(entry)})");
        WriteLoadInputs(w, entry);
        w.Line();
        WriteSteps(w, entry, program);
        var scalars = new ScalarReads();
        var metrics = Metrics(w, model, entry, scalars);
        scalars.WriteRead(w);
        WriteMetrics(w, metrics);
        w.Close();
    }

    /// <summary>Checks the caller's spans on the host (NaN or an out-of-range label throws, naming the input), uploads them, and the parameters if the host wrote them since.</summary>
    private static void WriteLoadInputs(SourceWriter w, CompiledEntry entry)
    {
        w.Line("ThrowIfDisposed();");
        InputChecks.Write(w, entry, input => HostField(BufferPlanner.InputField(input.Name)), input =>
        {
            string field = BufferPlanner.InputField(input.Name);
            w.Line($"{field}.Write({HostField(field)}.AsSpan(0, {input.Name}.Length));");
        });
        w.Line("_parameterCopy.MakeCurrent();");
    }

    /// <summary>Reduces each logged metric on the device (a metric that is the loss reuses it); returns (index, value) to set once the scalars are read.</summary>
    private static List<(int Index, string Name, string Value)> Metrics(SourceWriter w, CompiledModel model, CompiledEntry entry, ScalarReads scalars, int loss = -1)
    {
        var metrics = new List<(int, string, string)>();
        var names = model.MetricNames.ToList();
        var outputs = entry.Graph.OutputsOf(OutputRole.Metric).ToList();
        if (outputs.Count == 0) return metrics;
        if (outputs.Any(m => m.Node != loss))
            w.Line("// Logged values: each one's batch mean, reduced on the device");
        foreach (GraphOutput metric in outputs)
        {
            int index = names.IndexOf(metric.Name);
            metrics.Add((index, metric.Name, metric.Node == loss ? "loss" : Reduce(w, entry, metric.Node, 1 + index, scalars)));
        }
        return metrics;
    }

    private static void WriteMetrics(SourceWriter w, List<(int Index, string Name, string Value)> metrics)
    {
        foreach (var (index, name, value) in metrics)
            w.Line($"Metrics.Set({index}, {value}); // {name}");
    }

    /// <summary>
    /// Writes the reduction of a value's batch mean into <c>_scalars[element]</c> and returns the
    /// expression that reads it once the scalars are on the host; a constant or the seed needs no device.
    /// </summary>
    private static string Reduce(SourceWriter w, CompiledEntry entry, int id, int element, ScalarReads scalars)
    {
        Node node = entry.Graph[id];
        switch (node.Op)
        {
            case OpKind.Constant:
                return Literals.Float(node.Constant);
            case OpKind.LossSeed:
                return "_seed";
        }
        Storage storage = entry.Plan.Storage[id];
        string target = element == 0 ? "_scalars" : $"_scalars.Slice({Literals.Int(element)})";
        w.Line(node.Batched
            ? $"_kernels.Mean(batch, {Slice(storage)}, {target});"
            : $"_kernels.Copy(1, {Slice(storage)}, {target});");
        scalars.Reads = true;
        return $"_hostScalars[{Literals.Int(element)}]";
    }

    /// <summary>Whether an entry reduced anything into the scalars buffer, so it reads it back (once).</summary>
    private sealed class ScalarReads
    {
        public bool Reads;

        public void WriteRead(SourceWriter w)
        {
            if (!Reads) return;
            w.Line("// One transfer: the loss and the metrics.");
            w.Line("_scalars.Read(_hostScalars);");
        }
    }
}
