using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Lowering;
using Dsl.Generator.Pipeline;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Emit.CSharp;

/// <summary>
/// Writes <c>{Model}.Model.g.cs</c>: the backend-independent half of a model — its parameters
/// and their initialisation, the compile-time summary, the eager bodies of its layers and the
/// typed <c>Program</c> API that every backend implements.
/// </summary>
internal static class ModelEmitter
{
    public static GeneratedSource Emit(CompiledModel model)
    {
        ModelSpec spec = model.Spec;
        var w = new SourceWriter();
        FileHeader.Write(w, "The parameters, summary, eager layers and program API of " + spec.Name + ".");
        int blocks = FileHeader.OpenModel(w, spec, Remarks(model), TypeNames.ITrainableModel);

        WriteParameters(w, model);
        WriteEagerLayers(w, model);
        WriteCompile(w, model);
        WriteTrainableModel(w, spec);
        ProgramApiEmitter.Write(w, model);

        FileHeader.Close(w, blocks);
        return new GeneratedSource(FileHeader.HintName(spec, "Model"), w.ToString());
    }

    /// <summary>
    /// The file written when the model has errors: the layer bodies its partial declarations need
    /// and the members every model has, so the build reports the DSL diagnostics rather than a
    /// cascade of missing-member errors in code that uses the model.
    /// </summary>
    public static GeneratedSource EmitFailed(ModelSpec spec)
    {
        const string Failure = "throw new global::System.InvalidOperationException(";
        string message = Literals.String(spec.Name + " did not compile; see its DSL errors.");
        var w = new SourceWriter();
        FileHeader.Write(w, spec.Name + " has DSL errors; these members only keep the build's error list to those errors.");
        if (spec.ClashesWithGeneratedMembers)
        {
            int open = FileHeader.OpenModel(w, spec);
            WriteStubs(w, spec, Failure + message + ")");
            FileHeader.Close(w, open);
            return new GeneratedSource(FileHeader.HintName(spec, "Model"), w.ToString());
        }
        int blocks = FileHeader.OpenModel(w, spec, baseList: TypeNames.ITrainableModel);
        w.Line("public const string Summary = " + message + ";");
        w.Line("public const int ParameterCount = 0;");
        w.Line("public " + TypeNames.ParameterStore + " Parameters { get; } = new(global::System.Array.Empty<" + TypeNames.ParameterSpec + ">(), 0);");
        w.Line("public " + spec.Name + "(int seed) { }");
        w.Line("public Program Compile(" + TypeNames.Device + " device, int maxBatch, " + TypeNames.LossReduction + " lossReduction = " + TypeNames.LossReduction + ".Mean) => " + Failure + message + ");");
        w.Line("public void ExportOnnx(string path) => " + Failure + message + ");");
        w.Line("public void ExportOnnx(global::System.IO.Stream stream) => " + Failure + message + ");");
        WriteTrainableModel(w, spec);
        w.Line("public abstract class Program : " + TypeNames.CompiledProgram);
        w.Line("{");
        w.Line("    private Program() : base(null!, 1, null!) { }");
        foreach (MethodSpec method in spec.Methods)
        {
            string inputs = string.Join(", ", method.Parameters.Select(p => $"{TypeNames.ReadOnlySpan}<{(p.Kind.IsInts() ? "int" : "float")}> {p.Name}"));
            switch (method.Role)
            {
                case MethodRole.Forward:
                    string outputs = method.OutputNames.Count == 0 ? $"{TypeNames.Span}<float> output" : string.Join(", ", method.OutputNames.Select(o => $"{TypeNames.Span}<float> {o}"));
                    w.Line($"    public abstract void Predict({inputs}, {outputs});");
                    break;
                case MethodRole.TrainingStep:
                    w.Line($"    public abstract float TrainStep({inputs});");
                    w.Line($"    public abstract {TypeNames.ReadOnlySpan}<float> ExampleLosses {{ get; }}");
                    w.Line($"    public abstract float ValueAndGrad({inputs}, {TypeNames.Span}<float> gradients);");
                    break;
                case MethodRole.ValidationStep:
                    w.Line($"    public abstract void EvalStep({inputs});");
                    break;
            }
        }
        w.Line("}");
        WriteStubs(w, spec, Failure + message + ")");
        FileHeader.Close(w, blocks);
        return new GeneratedSource(FileHeader.HintName(spec, "Model"), w.ToString());
    }

    /// <summary>A throwing body for each partial layer and child declaration, so C# reports no missing implementation.</summary>
    private static void WriteStubs(SourceWriter w, ModelSpec spec, string throwFailure)
    {
        foreach (LayerStub stub in spec.LayerStubs)
            w.Line($"{stub.Declaration} => {throwFailure};");
        foreach (PropertyStub stub in spec.ChildStubs)
            w.Line(stub.Body(throwFailure));
    }

    /// <summary>The summary as it appears in <c>Summary</c> and in the class's remarks.</summary>
    public static string SummaryText(CompiledModel model)
    {
        var rows = model.Lowered.Layers.Select(l => new[]
        {
            l.Layer.MethodName, l.Layer.Kind.Name, l.InputText, l.OutputShape.ToString(),
            l.ParameterCount.ToString(CultureInfo.InvariantCulture),
        }).ToList();
        rows.Insert(0, new[] { "layer", "kind", "input", "output", "parameters" });
        int[] widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var lines = rows.Select(r => "  " + string.Join("  ", r.Select((cell, c) => c == 4 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd());
        string inputs = string.Join(", ", model.Forward.Inputs.Select(i => i.Name + " " + i.Shape));
        // A forward that returns a tuple lists its outputs, one per span of Predict.
        string outputs = model.Forward.HasSeveralOutputs
            ? " -> (" + string.Join(", ", model.Forward.Outputs.Select(o => o.Name + " " + o.Node.Shape)) + ")"
            : "";
        return model.Spec.Name + " (" + inputs + ")" + outputs + ": " + model.Parameters.Count.ToString("N0", CultureInfo.InvariantCulture) + " parameters\n" + string.Join("\n", lines);
    }

    private static string Remarks(CompiledModel model) =>
        "/// <remarks>\n/// <code>\n" + string.Join("\n", SummaryText(model).Split('\n').Select(l => "/// " + System.Security.SecurityElement.Escape(l))) + "\n/// </code>\n/// </remarks>";

    private static void WriteParameters(SourceWriter w, CompiledModel model)
    {
        ParameterLayout layout = model.Parameters;
        w.Line("/// <summary>The layers, their shapes and the parameter count, worked out at compile time.</summary>");
        w.Line("public const string Summary = " + Literals.String(SummaryText(model)) + ";");
        w.Line();
        w.Line("/// <summary>The number of trainable floats in <see cref=\"Parameters\"/>.</summary>");
        w.Line("public const int ParameterCount = " + Literals.Int(layout.Count) + ";");
        if (layout.Buffers.Count > 0)
        {
            w.Line();
            w.Line("/// <summary>The number of floats of the buffers (non-trainable state) that follow the parameters in <see cref=\"Parameters\"/>.</summary>");
            w.Line("public const int BufferCount = " + Literals.Int(layout.BufferCount) + ";");
        }
        w.Line();
        w.Line("// Parameters in PyTorch's state_dict order and naming; each is initialised as torch.nn.Linear does:");
        w.Line("// U(-1/sqrt(fan_in), 1/sqrt(fan_in))" + (layout.Slots.Any(s => s.Init != "Uniform") ? ", or as its Init says (nn.Embedding: N(0, 1); nn.LayerNorm: ones, zeros; nn.MultiheadAttention: Xavier-uniform in_proj_weight, zero biases)." : "."));
        w.Open("private static readonly " + TypeNames.ParameterSpec + "[] s_parameterSpecs =");
        foreach (ParameterSlot slot in layout.Slots.Concat(layout.Buffers))
            w.Line($"new({Literals.String(slot.Name)}, {Literals.IntArray(slot.Shape.Dimensions)}, FanIn: {Literals.Int(slot.FanIn)}){Initializers(slot)}, // offset {Literals.Int(slot.Offset)}, layer {slot.Layer}");
        w.Close(";");
        w.Line();
        w.Line("/// <summary>The name, shape and fan-in of every parameter, in buffer order.</summary>");
        w.Line("public static " + TypeNames.IReadOnlyList + "<" + TypeNames.ParameterSpec + "> ParameterSpecs => s_parameterSpecs;");
        w.Line();
        w.Line("/// <summary>The model's parameters: one flat buffer with a named view per tensor; compiled programs train it in place.</summary>");
        w.Line("public " + TypeNames.ParameterStore + " Parameters { get; }");
        w.Line();
        w.Line("/// <summary>Creates the model with its parameters initialised from <paramref name=\"seed\"/>, the same values on every run.</summary>");
        w.Open("public " + model.Spec.Name + "(int seed)");
        w.Line("Parameters = new " + TypeNames.ParameterStore + "(s_parameterSpecs, seed);");
        w.Close();
    }

    /// <summary>The object initializer of a spec that is not a uniform-initialised parameter: <c> { Init = ..., Role = ... }</c>.</summary>
    private static string Initializers(ParameterSlot slot)
    {
        var parts = new List<string>();
        if (slot.Init != "Uniform")
            parts.Add("Init = global::Dsl.ParameterInit." + slot.Init);
        if (!slot.IsTrainable)
            parts.Add("Role = global::Dsl.ParameterRole." + slot.Role);
        return parts.Count == 0 ? "" : " { " + string.Join(", ", parts) + " }";
    }

    private static void WriteEagerLayers(SourceWriter w, CompiledModel model)
    {
        foreach (LayerSpec parameterless in model.Spec.Layers.Where(l => !l.Kind.HasParameters))
        {
            w.Line();
            parameterless.Kind.WriteEagerBody(w, parameterless, null, _ => "");
        }
        foreach (LayerStub unused in model.Spec.LayerStubs.Where(s => !model.Lowered.Layers.Any(l => !l.IsNested && l.Layer.MethodName == s.MethodName)
            && !model.Spec.Layers.Any(l => !l.Kind.HasParameters && l.MethodName == s.MethodName)))
        {
            w.Line();
            w.Line($"// {unused.MethodName} is never called, so its input size is unknown and it has no parameters (warning DSL0010).");
            w.Line($"{unused.Declaration} =>");
            w.Line($"    throw new global::System.InvalidOperationException({Literals.String("Layer " + unused.MethodName + " is never called by " + model.Spec.Name + ", so it has no parameters.")});");
        }
        foreach (ResolvedLayer layer in model.Lowered.Layers.Where(l => !l.IsNested))
        {
            w.Line();
            layer.Layer.Kind.WriteEagerBody(w, layer.Layer, layer, name => "Parameters.ToTensor(" + Literals.String(layer.Layer.ParameterName + "." + name) + ")");
        }
        ModuleEmitter.WriteChildren(w, model.Spec.Children, "Parameters", "");
    }

    /// <summary>The explicit members of <c>ITrainableModel</c> that the model's public members do not already provide.</summary>
    private static void WriteTrainableModel(SourceWriter w, ModelSpec spec)
    {
        w.Line();
        w.Line("// The Trainer's view of the model; hooks such as OnTrainEpochEnd are the model's own public methods, if it declares them.");
        w.Line($"string {TypeNames.ITrainableModel}.Name => {Literals.String(spec.Name)};");
        w.Line($"string {TypeNames.ITrainableModel}.Summary => Summary;");
        w.Line($"{TypeNames.CompiledProgram} {TypeNames.ITrainableModel}.Compile({TypeNames.Device} device, int maxBatch, {TypeNames.LossReduction} lossReduction) =>");
        w.Line("    Compile(device, maxBatch, lossReduction);");
    }

    private static void WriteCompile(SourceWriter w, CompiledModel model)
    {
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Compiles the model for <paramref name=\"device\"/>: a fixed sequence of kernels for batches of up to");
        w.Line("/// <paramref name=\"maxBatch\"/> examples, sharing this model's <see cref=\"Parameters\"/>. A training step");
        w.Line("/// averages the per-example losses over the batch, or sums them with <see cref=\"global::Dsl.LossReduction.Sum\"/>.");
        w.Line("/// </summary>");
        w.Open("public Program Compile(" + TypeNames.Device + " device, int maxBatch, " + TypeNames.LossReduction + " lossReduction = " + TypeNames.LossReduction + ".Mean)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(device);");
        w.Line("if (device.Kind == " + TypeNames.DeviceKind + ".Cpu)");
        w.Line("    return new CpuProgram(this, device, maxBatch, lossReduction);");
        w.Line("// Any other device runs the device program, if it builds a dialect of the program's fused kernels.");
        w.Line("if (device.CanBuild(" + Device.DeviceProgramEmitter.ClassName + ".FusedSources))");
        w.Line("    return new " + Device.DeviceProgramEmitter.ClassName + "(this, device, maxBatch, lossReduction);");
        w.Line("throw new global::System.NotSupportedException($\"" + model.Spec.Name + " carries its fused kernels in " + Device.DeviceProgramEmitter.Dialects
            + " only, which {device.Name} ({device.Kind}) does not build; compile it for Device.Cpu or Device.OpenCL().\");");
        w.Close();
    }
}
