using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Pipeline;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Emit.OpenCl;

// The entry points: check and upload the inputs (and the parameters when the host wrote them), launch the steps, read back
// what the caller gets. The checks are the CPU program's own (InputGuard), so bad input throws
// the same exception with the same message on every device.
internal static partial class OpenClProgramEmitter
{
    private static void WriteForward(SourceWriter w, CompiledModel model, CompiledEntry entry, ProgramKernels kernels, HostState host)
    {
        Node output = entry.Output;
        w.Line();
        w.Open($"private protected override void PredictCore({ProgramApiEmitter.Parameters(entry)}, {TypeNames.Span}<float> output)");
        WriteLoadInputs(w, entry);
        w.Line($"CheckLength<float>(output, \"output\", \"[B, {output.Shape.Size}]\", batch * {output.Shape.Size});");
        w.Line();
        WriteSteps(w, entry, kernels);
        w.Line();
        w.Line("// Output, read back from the device");
        w.Line(ReadValue(entry, output.Id, "output", host));
        w.Close();
    }

    private static void WriteTrain(SourceWriter w, CompiledModel model, CompiledEntry entry, ProgramKernels kernels, HostState host)
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
        WriteSteps(w, entry, kernels);
        w.Line();
        if (loss.Batched)
        {
            Storage storage = entry.Plan.Storage[loss.Id];
            w.Line("// The per-example losses come back to the host; the batch loss is their mean, as on the CPU.");
            w.Line($"{storage.Field}.Read(_hostLosses.AsSpan(0, batch), {Literals.Int(storage.Offset)});");
            w.Line($"float loss = {TypeNames.Rows}.Mean(_hostLosses.AsSpan(0, batch));");
        }
        else
        {
            w.Line("float loss = " + MeanOf(entry, loss.Id, host) + ";");
        }
        WriteMetrics(w, model, entry, host, loss.Id);
        w.Line($"return LossReduction == {TypeNames.LossReduction}.Sum ? loss * batch : loss;");
        w.Close();

        w.Line();
        w.Line($"private protected override {TypeNames.ReadOnlySpan}<float> ExampleLossesCore =>");
        w.Line(loss.Batched
            ? "    _hostLosses.AsSpan(0, _lastTrainBatch);"
            : $"    {TypeNames.ReadOnlySpan}<float>.Empty; // the loss does not depend on the example");
    }

    private static void WriteValidation(SourceWriter w, CompiledModel model, CompiledEntry entry, ProgramKernels kernels, HostState host)
    {
        w.Line();
        w.Open($"private protected override void EvalStepCore({ProgramApiEmitter.Parameters(entry)})");
        WriteLoadInputs(w, entry);
        w.Line();
        WriteSteps(w, entry, kernels);
        WriteMetrics(w, model, entry, host);
        w.Close();
    }

    /// <summary>Checks the caller's spans on the host (NaN or an out-of-range label throws, naming the input), uploads them, and the parameters if the host wrote them since.</summary>
    private static void WriteLoadInputs(SourceWriter w, CompiledEntry entry)
    {
        EntryInput first = entry.BatchInput;
        w.Line("ThrowIfDisposed();");
        w.Line($"int batch = BatchOf({first.Name}, \"{first.Name}\", \"{ProgramApiEmitter.BatchShape(first)}\", {first.Shape.Size});");
        foreach (EntryInput input in entry.Inputs)
        {
            string field = BufferPlanner.InputField(input.Name);
            string hostField = HostField(field);
            if (input.Kind == ValueKind.Label)
            {
                w.Line($"CheckLength({input.Name}, \"{input.Name}\", \"[B]\", batch);");
                w.Line($"{TypeNames.InputGuard}.CopyLabels({input.Name}, {hostField}, \"{input.Name}\", classes: {Literals.Int(entry.LabelClasses(input.Name))});");
            }
            else if (input.Kind == ValueKind.Tokens)
            {
                if (input != first)
                    w.Line($"CheckLength({input.Name}, \"{input.Name}\", \"{ProgramApiEmitter.BatchShape(input)}\", batch * {input.Shape.Size});");
                w.Line($"{TypeNames.InputGuard}.CopyTokens({input.Name}, {hostField}, \"{input.Name}\", vocabulary: {Literals.Int(entry.LabelClasses(input.Name))}, length: {Literals.Int(input.Shape.Size)});");
            }
            else
            {
                if (input != first)
                    w.Line($"CheckLength({input.Name}, \"{input.Name}\", \"{ProgramApiEmitter.BatchShape(input)}\", batch * {input.Shape.Size});");
                w.Line($"{TypeNames.InputGuard}.CopyChecked({input.Name}, {hostField}, \"{input.Name}\", {input.Shape.Size});");
            }
            w.Line($"{field}.Write({hostField}.AsSpan(0, {input.Name}.Length));");
        }
        w.Line("_parameterCopy.MakeCurrent();");
    }

    /// <summary>Sets each logged metric to its batch mean, read back from the device; a metric that is the loss reuses it.</summary>
    private static void WriteMetrics(SourceWriter w, CompiledModel model, CompiledEntry entry, HostState host, int loss = -1)
    {
        var metrics = entry.Graph.OutputsOf(OutputRole.Metric).ToList();
        if (metrics.Count == 0) return;
        w.Line();
        w.Line("// Logged values, read back and averaged over the batch on the host");
        foreach (GraphOutput metric in metrics)
        {
            int index = model.MetricNames.ToList().IndexOf(metric.Name);
            w.Line($"Metrics.Set({index}, {(metric.Node == loss ? "loss" : MeanOf(entry, metric.Node, host))}); // {metric.Name}");
        }
    }
}
