using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Emit.Ilgpu;
using Dsl.Generator.Emit.OpenCl;
using Dsl.Generator.Fusion;
using Dsl.Generator.Lowering;
using Dsl.Generator.Pipeline;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Emit.Device;

/// <summary>
/// Writes <c>{Model}.Device.g.cs</c>: the model's program for any device with a kernel library
/// (<c>Dsl.DeviceKernels</c>), lowered from the same plans as the CPU program (the same steps, the
/// same arrays, the same slots), so the two differ only where the hardware does. Every array of
/// the CPU program is a <c>DeviceBuffer</c>; every planned kernel call
/// (<see cref="KernelCallPlanner"/>) is one call of the device's library; each fused element-wise
/// step is one launch of the program's own <c>FusedKernels</c>, whose source the program carries
/// per dialect (OpenCL C and ILGPU's C#). This file holds the class shell; the entry points and the steps
/// are written by the other parts of this class.
/// </summary>
/// <remarks>
/// The training state is resident on the device (the contract with the runtime): the parameters
/// and the optimizer's moments stay in device buffers across calls, and their host copies
/// (<c>model.Parameters</c>, the optimizer state's buffers) sync through the runtime's
/// <c>HostDeviceState</c>: a call uploads them only if the host wrote them since, a host read
/// downloads them only if a step wrote them since. Per training step the inputs go up; the loss
/// and the logged metrics are reduced on the device into one small buffer and come back in one read.
/// </remarks>
internal static partial class DeviceProgramEmitter
{
    private const string Buffer = TypeNames.DeviceBuffer;

    /// <summary>The program's class name, which <c>Compile</c> news.</summary>
    public const string ClassName = "DeviceProgram";

    /// <summary>The dialects of fused kernels every device program carries, as <c>Compile</c>'s error names them.</summary>
    public const string Dialects = "OpenCL C and ILGPU C#";

    public static GeneratedSource Emit(CompiledModel model)
    {
        var fused = new FusedKernelTable(model);
        var calls = model.Entries.ToDictionary(e => e, e => KernelCallPlanner.Plan(e.Plan, BackendCapabilities.OpenCl));
        var w = new SourceWriter();
        FileHeader.Write(w, "The device program of " + model.Spec.Name + ": one call of the device's kernel library per planned kernel call, one fused kernel per element-wise step.");
        w.Line("// For extension methods (AsSpan) only; every type is written global::-qualified.");
        w.Line("using System;");
        w.Line();
        int blocks = FileHeader.OpenModel(w, model.Spec);

        w.Line("/// <summary>" + model.Spec.Name + " compiled for a device with a kernel library: the CPU program's steps, each one kernel call on the device.</summary>");
        w.Line(TypeNames.GeneratedCodeAttribute);
        w.Open($"private sealed class {ClassName} : Program");
        WriteFusedSources(w, model, fused);
        WriteFields(w, model);
        WriteConstructor(w, model);
        var program = new Program(fused, calls);
        WriteForward(w, model.Forward, program);
        if (model.Train is { } train) WriteTrain(w, model, train, program);
        if (model.Validation is { } validation) WriteValidation(w, model, validation, program);
        WriteDispose(w, model);
        w.Close();

        FileHeader.Close(w, blocks);
        return new GeneratedSource(FileHeader.HintName(model.Spec, "Device"), w.ToString());
    }

    /// <summary>What the steps render from: the fused kernels' table and each entry's planned kernel calls.</summary>
    private sealed record Program(FusedKernelTable Fused, System.Collections.Generic.Dictionary<CompiledEntry, KernelCallPlan> Calls);

    private static void WriteFusedSources(SourceWriter w, CompiledModel model, FusedKernelTable fused)
    {
        w.Line("/// <summary>The fused element-wise kernels in OpenCL C 1.2, after the runtime's OpenClKernels.FusedPrelude (GELU, dropout's Philox draws).</summary>");
        w.Line("private const string OpenClC = \"\"\"");
        w.Indent();
        w.Lines(FusedOpenClSource.Text(model, fused));
        w.Line("\"\"\";");
        w.Unindent();
        w.Line();
        FusedIlgpuSource.Write(w, model, fused);
        w.Line();
        string names = string.Join(", ", fused.Unique.Select(k => "\"" + k.Name + "\""));
        w.Line("/// <summary>The fused kernels in every dialect this program carries; a launch names a kernel by its index here.</summary>");
        w.Line($"internal static readonly {TypeNames.FusedKernelSources} FusedSources = new(\"{model.Spec.FullName}\", [{names}])");
        w.Line("{");
        w.Line("    OpenClC = OpenClC,");
        w.Line($"    Ilgpu = {FusedIlgpuSource.Methods(names)},");
        w.Line("};");
    }

    private static void WriteFields(SourceWriter w, CompiledModel model)
    {
        w.Line();
        w.Line("// The kernel library of this program's view of the device, and this program's fused kernels.");
        w.Line($"private readonly {TypeNames.DeviceKernels} _kernels;");
        w.Line($"private readonly {TypeNames.FusedKernels} _fused;");
        w.Line();
        w.Line("// The model's flat parameters, resident: uploaded only when the host wrote them since the last call.");
        w.Line($"private readonly {Buffer} _parameters;");
        w.Line($"private readonly {TypeNames.DeviceBufferCopy} _parameterCopy;");
        if (model.Train is not null)
        {
            w.Line("// Gradients of the batch loss, laid out like the parameters.");
            w.Line($"private readonly {Buffer} _gradients;");
            if (model.Spec.OptimizerMethod is not null)
                w.Line($"private readonly {TypeNames.DeviceOptimizer} _optimizer;");
        }
        w.Line();
        w.Line("// Inputs, checked on the host into these arrays (as the CPU program checks them), then written to the device.");
        foreach (EntryInput input in model.InputArrays)
        {
            string field = BufferPlanner.InputField(input.Name);
            w.Line($"private readonly {ElementType(input)}[] {HostField(field)}; // {ProgramApiEmitter.BatchShape(input)}");
            w.Line($"private readonly {Buffer} {field};");
        }
        w.Line();
        w.Line("// Scratch buffers, each shared by values whose lifetimes do not overlap (the CPU program's slots).");
        foreach (Slot slot in model.DeviceSlots)
            w.Line($"private readonly {Buffer} {slot.Field}; // {(slot.Batched ? "[B, " + slot.PerExample + "]" : "[" + slot.PerExample + "]")}");
        w.Line();
        w.Line("// The loss (element 0) and the logged metrics (1 + their index), reduced on the device and read back in one transfer.");
        w.Line($"private readonly {Buffer} _scalars;");
        w.Line("private readonly float[] _hostScalars;");
        if (model.Train is { } train && LossIsBatched(train))
        {
            w.Line("// The last training step's per-example losses, kept on the device and read only when ExampleLosses asks.");
            w.Line($"private readonly {Buffer} _losses;");
            w.Line("private readonly float[] _hostLosses;");
            w.Line("private bool _lossesOnHost;");
        }
        if (model.Train is not null)
        {
            // Only a training step has a backward pass to seed: without one the field would never
            // be assigned (CS0649), an error under warnings-as-errors, and the kernels get 0.
            w.Line();
            w.Line("// The cotangent that seeds the backward pass: 1/B for a batch-mean loss, 1 for a sum.");
            w.Line("private float _seed;");
            w.Line("// The batch size of the last training step, for ExampleLosses.");
            w.Line("private int _lastTrainBatch;");
        }
        w.Line();
        w.Line("/// <summary>What every fused kernel is given: the loss seed and the dropout key and step of this call.</summary>");
        w.Line($"private {TypeNames.FusedScalars} Scalars => new({(model.Train is null ? "0f" : "_seed")}, DropoutKey, DropoutStep);");
    }

    private static void WriteConstructor(SourceWriter w, CompiledModel model)
    {
        string owner = $" of {model.Spec.Name}.{ClassName}";
        w.Line();
        w.Line($"public {ClassName}({model.Spec.SelfType} model, {TypeNames.Device} device, int maxBatch, {TypeNames.LossReduction} lossReduction)");
        w.Line("    : base(device, maxBatch, lossReduction)");
        w.Line("{");
        w.Indent();
        foreach (EntryInput input in model.InputArrays)
            w.Line($"{HostField(BufferPlanner.InputField(input.Name))} = new {ElementType(input)}[{PerBatch(input.Shape.Size)}];");
        w.Line($"_hostScalars = new float[{Literals.Int(ScalarCount(model))}];");
        bool losses = model.Train is { } train && LossIsBatched(train);
        if (losses)
            w.Line("_hostLosses = new float[maxBatch];");
        w.Open("try");
        w.Line("_fused = device.BuildFusedKernels(FusedSources);");
        w.Line("// The program's own view of the device (on ILGPU, a stream of its own), released with _fused:");
        w.Line("// its buffers, library kernels and optimizer run there, in order, apart from other programs.");
        w.Line("device = _fused.Device;");
        w.Line("_kernels = device.Kernels;");
        w.Line($"_parameters = device.AllocateFloats({(model.Parameters.Buffers.Count == 0 ? "ParameterCount" : "ParameterCount + BufferCount")}, \"_parameters{owner}\");");
        w.Line($"_parameterCopy = {TypeNames.DeviceBufferCopy}.Of(model.Parameters, _parameters);");
        if (model.Train is not null)
            w.Line($"_gradients = device.AllocateFloats(ParameterCount, \"_gradients{owner}\");");
        foreach (EntryInput input in model.InputArrays)
        {
            string field = BufferPlanner.InputField(input.Name);
            string allocate = input.Kind.IsInts() ? "AllocateInts" : "AllocateFloats";
            w.Line($"{field} = device.{allocate}({PerBatch(input.Shape.Size)}, \"{field}{owner}\");");
        }
        foreach (Slot slot in model.DeviceSlots)
            w.Line($"{slot.Field} = device.AllocateFloats({(slot.Batched ? PerBatch(slot.PerExample) : Literals.Int(slot.PerExample))}, \"{slot.Field}{owner}\");");
        w.Line($"_scalars = device.AllocateFloats({Literals.Int(ScalarCount(model))}, \"_scalars{owner}\");");
        if (losses)
            w.Line($"_losses = device.AllocateFloats(maxBatch, \"_losses{owner}\");");
        if (model.Train is not null && model.Spec.OptimizerMethod is { } optimizer)
            w.Line($"_optimizer = new {TypeNames.DeviceOptimizer}({model.Spec.GlobalSelfType}.{optimizer}().CreateState(ParameterCount), device);");
        w.Close();
        w.Open("catch");
        w.Line("Release();");
        w.Line("throw;");
        w.Close();
        w.Unindent();
        w.Line("}");
    }

    private static void WriteDispose(SourceWriter w, CompiledModel model)
    {
        w.Line();
        w.Open("protected override void Dispose(bool disposing)");
        w.Line("if (disposing)");
        w.Line("    Release();");
        w.Line("base.Dispose(disposing);");
        w.Close();
        w.Line();
        w.Line("/// <summary>Releases every buffer, the fused kernels and the optimizer's buffers; fields a failed constructor never set are skipped.</summary>");
        w.Open("private void Release()");
        if (model.Train is not null && model.Spec.OptimizerMethod is not null)
            w.Line("_optimizer?.Dispose();");
        if (model.Train is { } train && LossIsBatched(train))
            w.Line("_losses?.Dispose();");
        w.Line("_scalars?.Dispose();");
        foreach (Slot slot in model.DeviceSlots)
            w.Line($"{slot.Field}?.Dispose();");
        foreach (EntryInput input in model.InputArrays)
            w.Line($"{BufferPlanner.InputField(input.Name)}?.Dispose();");
        if (model.Train is not null)
            w.Line("_gradients?.Dispose();");
        w.Line("// The last step's parameters come back to the host before their buffer goes.");
        w.Line("_parameterCopy?.Release();");
        w.Line("_parameters?.Dispose();");
        w.Line("_fused?.Dispose();");
        w.Close();
    }

    /// <summary>The scalars buffer's length: the loss, then one element per logged metric.</summary>
    private static int ScalarCount(CompiledModel model) => 1 + model.MetricNames.Count();

    /// <summary>The host array an input is checked into: <c>_x</c> becomes <c>_hostX</c>.</summary>
    private static string HostField(string field) => "_host" + char.ToUpperInvariant(field[1]) + field.Substring(2);

    private static string ElementType(EntryInput input) => input.Kind.IsInts() ? "int" : "float";

    private static string PerBatch(int size) => size == 1 ? "maxBatch" : "maxBatch * " + Literals.Int(size);

    private static bool LossIsBatched(CompiledEntry train) =>
        train.Graph[train.Graph.OutputsOf(Ir.OutputRole.Loss).Single().Node].Batched;
}
