using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Fusion;
using Dsl.Generator.Lowering;
using Dsl.Generator.Pipeline;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Emit.CSharp;

/// <summary>
/// Writes the abstract <c>{Model}.Program</c>: the typed, allocation-free API of a compiled
/// model, with one span per user parameter. Each backend's program derives from it.
/// </summary>
internal static class ProgramApiEmitter
{
    public static void Write(SourceWriter w, CompiledModel model)
    {
        w.Line();
        w.Line("/// <summary>" + model.Spec.Name + " compiled for one device: spans in, spans out, no allocation per step.</summary>");
        w.Line(TypeNames.GeneratedCodeAttribute);
        w.Open("public abstract class Program : " + TypeNames.CompiledProgram);
        w.Line("/// <summary>Metrics logged with <c>Log(name, value)</c>, averaged over the last batch that logged them.</summary>");
        w.Line("protected static readonly string[] MetricNames = { " + string.Join(", ", model.MetricNames.Select(Literals.String)) + " };");
        w.Line();
        w.Line("private protected Program(" + TypeNames.Device + " device, int maxBatch, " + TypeNames.LossReduction + " lossReduction)");
        w.Line("    : base(device, maxBatch, new " + TypeNames.MetricSet + "(MetricNames), lossReduction)");
        w.Line("{");
        w.Line("}");

        CompiledEntry forward = model.Forward;
        w.Line();
        if (forward.HasSeveralOutputs)
        {
            w.Line($"/// <summary>");
            w.Line($"/// Runs [Forward] {forward.MethodName} on a batch: {Describe(forward)} -> {string.Join(", ", forward.Outputs.Select(o => o.Name + " " + BatchShape(o.Node.Shape)))},");
            w.Line("/// one span per output of the tuple it returns. An empty span skips its output (it is computed, not copied).");
            w.Line("/// </summary>");
        }
        else
        {
            int outputSize = forward.Output.Shape.Size;
            w.Line($"/// <summary>Runs [Forward] {forward.MethodName} on a batch: {Describe(forward)} -> output [B, {outputSize}] ({outputSize} floats per example).</summary>");
        }
        WriteGuarded(w, "void", "Predict", $"{Parameters(forward)}, {OutputParameters(forward)}", Arguments(forward) + ", " + string.Join(", ", forward.Outputs.Select(o => o.Name)));

        if (model.Train is { } train)
        {
            w.Line();
            w.Line($"/// <summary>");
            w.Line($"/// One optimisation step of [TrainingStep] {train.MethodName} on a batch ({Describe(train)}): forward, backward and the");
            w.Line("/// optimizer's fused update of <c>Parameters</c>. Returns the batch loss (the mean of the per-example losses, or");
            w.Line("/// their sum, as <c>LossReduction</c> says); a loss that is not finite throws before any parameter changes.");
            w.Line("/// </summary>");
            WriteGuarded(w, "float", "TrainStep", Parameters(train), Arguments(train));
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// The per-example losses of the last <c>TrainStep</c> or <c>ValueAndGrad</c>, one per example of its batch (for");
            w.Line("/// per-example weighting, DP-SGD or influence estimates). Valid until the program's next call.");
            w.Line("/// </summary>");
            w.Line($"/// <exception cref=\"{TypeNames.ObjectDisposedException}\">The program is disposed.</exception>");
            w.Line($"/// <exception cref=\"{TypeNames.InvalidOperationException}\">Another call is running on this program.</exception>");
            WriteGuardedLosses(w);
            w.Line();
            w.Line("/// <summary>");
            w.Line($"/// The batch loss of [TrainingStep] {train.MethodName} and its gradient with respect to every parameter,");
            w.Line($"/// written to <paramref name=\"gradients\"/> in the layout of <c>Parameters</c> ({model.Parameters.Count} floats). Nothing is updated.");
            w.Line("/// </summary>");
            WriteGuarded(w, "float", "ValueAndGrad", $"{Parameters(train)}, {TypeNames.Span}<float> gradients", Arguments(train) + ", gradients");
            WriteGradientBuckets(w, model);
        }

        if (model.Validation is { } validation)
        {
            w.Line();
            w.Line($"/// <summary>Runs [ValidationStep] {validation.MethodName} on a batch ({Describe(validation)}); its logged values land in <c>Metrics</c>.</summary>");
            WriteGuarded(w, "void", "EvalStep", Parameters(validation), Arguments(validation));
        }

        WriteBatchEntryPoints(w, model);
        w.Close();
    }

    /// <summary>
    /// Writes a public entry point that holds the program for its call (the base class refuses a
    /// second call that overlaps it, since calls share scratch buffers) around the backend's
    /// <c>{name}Core</c>, and declares that. The caller has written the summary.
    /// </summary>
    private static void WriteGuarded(SourceWriter w, string returnType, string name, string parameters, string arguments)
    {
        w.Line($"/// <exception cref=\"{TypeNames.InvalidOperationException}\">Another call is running on this program; it runs one call at a time.</exception>");
        w.Open($"public {returnType} {name}({parameters})");
        w.Line($"BeginCall(\"{name}\");");
        w.Open("try");
        w.Line($"{(returnType == "void" ? "" : "return ")}{name}Core({arguments});");
        w.Close();
        w.Open("finally");
        w.Line("EndCall();");
        w.Close();
        w.Close();
        w.Line();
        w.Line($"/// <summary>The backend's {name}, run once the call holds the program.</summary>");
        w.Line($"private protected abstract {returnType} {name}Core({parameters});");
    }

    /// <summary>Writes <c>ExampleLosses</c>, held like a call, since the span it returns is the program's scratch.</summary>
    private static void WriteGuardedLosses(SourceWriter w)
    {
        w.Open($"public {TypeNames.ReadOnlySpan}<float> ExampleLosses");
        w.Open("get");
        w.Line("BeginCall(\"ExampleLosses\");");
        w.Open("try");
        w.Line("ThrowIfDisposed();");
        w.Line("return ExampleLossesCore;");
        w.Close();
        w.Open("finally");
        w.Line("EndCall();");
        w.Close();
        w.Close();
        w.Close();
        w.Line();
        w.Line("/// <summary>The backend's per-example losses of the last training call.</summary>");
        w.Line($"private protected abstract {TypeNames.ReadOnlySpan}<float> ExampleLossesCore {{ get; }}");
    }

    /// <summary>
    /// The signatures and <c>Batch</c> overloads through which the Trainer drives any model:
    /// each forwards column <c>i</c> of the batch to the typed method's input <c>i</c>.
    /// </summary>
    private static void WriteBatchEntryPoints(SourceWriter w, CompiledModel model)
    {
        CompiledEntry forward = model.Forward;
        int outputSize = forward.Output.Shape.Size;
        w.Line();
        w.Line("// The Trainer's view: what each step reads from a Batch (column i feeds input i) and what it logs.");
        if (forward.HasSeveralOutputs)
            w.Line($"// Its Predict fills the first output, {forward.Outputs[0].Name}; the typed Predict above fills each.");
        w.Line($"private static readonly {TypeNames.StepSignature} s_forward = {Signature(forward, "new[] { " + Literals.Int(outputSize) + " }")};");
        if (model.Train is { } train)
            w.Line($"private static readonly {TypeNames.StepSignature} s_training = {Signature(train, null)};");
        if (model.Validation is { } validation)
            w.Line($"private static readonly {TypeNames.StepSignature} s_validation = {Signature(validation, null)};");

        w.Line();
        w.Line($"public sealed override {TypeNames.StepSignature} PredictSignature => s_forward;");
        w.Line();
        w.Line($"public sealed override void Predict({TypeNames.Batch} batch, {TypeNames.Span}<float> output) =>");
        w.Line($"    Predict({BatchArguments(forward)}, output{string.Concat(forward.Outputs.Skip(1).Select(_ => ", default"))});");
        if (model.Train is { } trainEntry)
        {
            w.Line();
            w.Line($"public sealed override {TypeNames.StepSignature}? TrainingSignature => s_training;");
            w.Line();
            w.Line($"public sealed override float TrainStep({TypeNames.Batch} batch) =>");
            w.Line($"    TrainStep({BatchArguments(trainEntry)});");
            w.Line();
            w.Line($"public sealed override float ValueAndGrad({TypeNames.Batch} batch, {TypeNames.Span}<float> gradients) =>");
            w.Line($"    ValueAndGrad({BatchArguments(trainEntry)}, gradients);");
        }
        if (model.Validation is { } validationEntry)
        {
            w.Line();
            w.Line($"public sealed override {TypeNames.StepSignature}? ValidationSignature => s_validation;");
            w.Line();
            w.Line($"public sealed override void EvalStep({TypeNames.Batch} batch) =>");
            w.Line($"    EvalStep({BatchArguments(validationEntry)});");
        }
    }

    /// <summary><c>new StepSignature("TrainingStep", new StepInput[] { ... }, new[] { "train_loss" })</c>.</summary>
    private static string Signature(CompiledEntry entry, string? outputShape)
    {
        var inputs = entry.Inputs.Select(i => i.Kind switch
        {
            ValueKind.Label => $"new({Literals.String(i.Name)}, {TypeNames.ColumnType}.Int32, global::System.Array.Empty<int>(), Classes: {Literals.Int(entry.LabelClasses(i.Name))})",
            ValueKind.Tokens => $"new({Literals.String(i.Name)}, {TypeNames.ColumnType}.Int32, new[] {{ {Literals.Int(i.Shape.Size)} }}, Classes: {Literals.Int(entry.LabelClasses(i.Name))})",
            _ => $"new({Literals.String(i.Name)}, {TypeNames.ColumnType}.Float32, {Literals.IntArray(i.Shape.Dimensions)})",
        });
        var metrics = entry.MetricNames.ToList();
        string metricList = metrics.Count == 0 ? "global::System.Array.Empty<string>()" : "new[] { " + string.Join(", ", metrics.Select(Literals.String)) + " }";
        string output = outputShape is null ? "" : ", outputShape: " + outputShape;
        return $"new({Literals.String(entry.MethodName)}, new {TypeNames.StepInput}[] {{ {string.Join(", ", inputs)} }}, {metricList}{output})";
    }

    /// <summary><c>batch.Floats(0, "TrainingStep input 'x'"), batch.Ints(1, "TrainingStep input 'y'")</c>.</summary>
    private static string BatchArguments(CompiledEntry entry) =>
        string.Join(", ", entry.Inputs.Select((input, column) =>
            $"batch.{(input.Kind.IsInts() ? "Ints" : "Floats")}({Literals.Int(column)}, {Literals.String(entry.MethodName + " input '" + input.Name + "'")})"));

    /// <summary>The arguments that pass an entry point's span parameters on: <c>x, y</c>.</summary>
    private static string Arguments(CompiledEntry entry) => string.Join(", ", entry.Inputs.Select(i => i.Name));

    /// <summary>The span parameters of an entry point: <c>ReadOnlySpan&lt;float&gt; x, ReadOnlySpan&lt;int&gt; y</c>.</summary>
    public static string Parameters(CompiledEntry entry) =>
        string.Join(", ", entry.Inputs.Select(i => $"{TypeNames.ReadOnlySpan}<{(i.Kind.IsInts() ? "int" : "float")}> {i.Name}"));

    /// <summary>The output spans of Predict: <c>Span&lt;float&gt; output</c>, or one per output of a forward that returns a tuple.</summary>
    public static string OutputParameters(CompiledEntry forward) =>
        string.Join(", ", forward.Outputs.Select(o => $"{TypeNames.Span}<float> {o.Name}"));

    /// <summary>A per-example shape with the batch dimension in front: <c>[B, 10]</c>, or <c>[B]</c> for a scalar.</summary>
    public static string BatchShape(Ir.Shape shape) =>
        "[" + string.Join(", ", new[] { "B" }.Concat(shape.Dimensions.Select(d => Literals.Int(d)))) + "]";

    /// <summary>"x [B, 10], y [B] labels", for docs.</summary>
    public static string Describe(CompiledEntry entry) =>
        string.Join(", ", entry.Inputs.Select(i => i.Kind switch
        {
            ValueKind.Label => i.Name + " [B] labels",
            ValueKind.Tokens => i.Name + " " + BatchShape(i) + " token ids",
            _ => i.Name + " " + BatchShape(i),
        }));

    /// <summary>An input's shape with the batch dimension in front: <c>[B, 10]</c>.</summary>
    public static string BatchShape(EntryInput input) => BatchShape(input.Shape);

    /// <summary>The gradient hook's per-parameter buckets (<see cref="GradientBuckets"/>), a static table shared by every program of the model.</summary>
    private static void WriteGradientBuckets(SourceWriter w, CompiledModel model)
    {
        var buckets = GradientBuckets.Plan(model);
        w.Line();
        w.Line("/// <summary>The gradient hook's buckets, one per parameter, in the order their gradients become final in the backward pass.</summary>");
        w.Line($"protected override global::System.Collections.Generic.IReadOnlyList<{TypeNames.GradientBucket}> ParameterBuckets => s_gradientBuckets;");
        w.Line();
        w.Line($"private static readonly {TypeNames.GradientBucket}[] s_gradientBuckets =");
        w.Line("{");
        w.Indent();
        for (int i = 0; i < buckets.Count; i++)
        {
            PlannedBucket b = buckets[i];
            w.Line($"new({Literals.Int(i)}, {Literals.Int(b.Offset)}, {Literals.Int(b.Length)}, new[] {{ {string.Join(", ", b.Parameters.Select(Literals.String))} }}),");
        }
        w.Unindent();
        w.Line("};");
    }
}
