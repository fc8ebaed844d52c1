using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Fusion;
using Dsl.Generator.Lowering;
using Dsl.Generator.Pipeline;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Emit.OpenCl;

/// <summary>
/// Writes <c>{Model}.OpenCl.g.cs</c>: the model's program for an OpenCL device, lowered from the
/// same plans as the CPU program (the same steps, the same arrays, the same slots), so the two
/// differ only where the hardware does. Every array of the CPU program is a device buffer; each
/// step is one kernel launch on the device's in-order queue; the OpenCL C source of every kernel
/// is a constant of the class. This file holds the class shell; the entry points, the steps and
/// the launch methods are written by the other parts of this class.
/// </summary>
/// <remarks>
/// The training state is resident on the device (the contract with the runtime): the parameters
/// and the optimizer's moments stay in device buffers across calls, and their host copies
/// (<c>model.Parameters</c>, the optimizer state's buffers) sync through the runtime's
/// <c>HostDeviceState</c>: a call uploads them only if the host wrote them since, a host read
/// downloads them only if a step wrote them since. Per training step the inputs go up and the
/// losses and metrics come back, to be averaged on the host as on the CPU.
/// </remarks>
internal static partial class OpenClProgramEmitter
{
    private const string Buffer = TypeNames.OpenClBuffer;

    public static GeneratedSource Emit(CompiledModel model)
    {
        var kernels = new ProgramKernels(model);
        // The entry points decide which read-back helpers (and so which host arrays) exist: write
        // them once into a scratch writer to find out, then for real after the fields.
        var host = new HostState();
        var scratch = new SourceWriter();
        WriteEntries(scratch, model, kernels, host);
        var w = new SourceWriter();
        FileHeader.Write(w, "The OpenCL program of " + model.Spec.Name + ": OpenCL C 1.2 kernels (fused element-wise, tiled GEMM, row kernels), one launch per step.");
        w.Line("// For extension methods (AsSpan) only; every type is written global::-qualified.");
        w.Line("using System;");
        w.Line();
        int blocks = FileHeader.OpenModel(w, model.Spec);

        w.Line("/// <summary>" + model.Spec.Name + " compiled for an OpenCL device: the CPU program's steps, each one kernel launch.</summary>");
        w.Line(TypeNames.GeneratedCodeAttribute);
        w.Open("private sealed class OpenClProgram : Program");
        WriteKernelSource(w, model, kernels);
        WriteFields(w, model, kernels, host);
        WriteConstructor(w, model, kernels, host);
        WriteEntries(w, model, kernels, host);
        WriteDispose(w, model, kernels);
        WriteLaunchers(w, kernels, host);
        w.Close();

        FileHeader.Close(w, blocks);
        return new GeneratedSource(FileHeader.HintName(model.Spec, "OpenCl"), w.ToString());
    }

    private static void WriteEntries(SourceWriter w, CompiledModel model, ProgramKernels kernels, HostState host)
    {
        WriteForward(w, model, model.Forward, kernels, host);
        if (model.Train is { } train) WriteTrain(w, model, train, kernels, host);
        if (model.Validation is { } validation) WriteValidation(w, model, validation, kernels, host);
    }

    /// <summary>Which read-back helpers the entry points call (the launch methods come after them, so only those are written).</summary>
    private sealed class HostState
    {
        public bool Mean;
        public bool Scalar;

        public bool ReadsValues => Mean || Scalar;
    }

    private static void WriteKernelSource(SourceWriter w, CompiledModel model, ProgramKernels kernels)
    {
        w.Line("/// <summary>The OpenCL C 1.2 source of every kernel this program launches, built once per device and source.</summary>");
        w.Line("private const string KernelSource = \"\"\"");
        w.Indent();
        w.Lines(kernels.Source(model));
        w.Line("\"\"\";");
        w.Unindent();
    }

    private static void WriteFields(SourceWriter w, CompiledModel model, ProgramKernels kernels, HostState host)
    {
        w.Line();
        if (kernels.UsesGemm)
        {
            w.Line("// The GEMM tiling, chosen from the device: the edge of the block of C a work-group computes");
            w.Line("// (TILE in KernelSource) and of the block each of its work-items computes (BLOCK).");
            w.Line("private readonly int _gemmTile, _gemmBlock;");
            w.Line();
        }
        w.Line("// The model's flat parameters, resident: uploaded only when the host wrote them since the last call.");
        w.Line($"private readonly {Buffer} _parameters;");
        w.Line($"private readonly {TypeNames.OpenClCopy} _parameterCopy;");
        if (model.Train is not null)
        {
            w.Line("// Gradients of the batch loss, laid out like the parameters.");
            w.Line($"private readonly {Buffer} _gradients;");
            if (model.Spec.OptimizerMethod is not null)
                w.Line($"private readonly {TypeNames.OpenClOptimizer} _optimizer;");
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
        w.Line("// Kernels, created once from the device's build of KernelSource.");
        foreach (var (_, field) in kernels.Fields)
            w.Line($"private readonly {TypeNames.OpenClKernel} {field};");
        w.Line();
        bool losses = model.Train is { } train && LossIsBatched(train);
        if (host.ReadsValues || losses)
        {
            w.Line("// What is read back to be averaged on the host, as the CPU program averages it.");
            if (host.ReadsValues)
                w.Line("private readonly float[] _hostValues; // a per-example value of the last batch");
            if (losses)
                w.Line("private readonly float[] _hostLosses; // the last training step's per-example losses");
            w.Line();
        }
        w.Line("// The cotangent that seeds the backward pass: 1/B for a batch-mean loss, 1 for a sum.");
        w.Line("private float _seed;");
        if (model.Train is not null)
        {
            w.Line("// The batch size of the last training step, for ExampleLosses.");
            w.Line("private int _lastTrainBatch;");
        }
    }

    private static void WriteConstructor(SourceWriter w, CompiledModel model, ProgramKernels kernels, HostState host)
    {
        string owner = $" of {model.Spec.Name}.OpenClProgram";
        w.Line();
        w.Line($"public OpenClProgram({model.Spec.SelfType} model, {TypeNames.OpenClDevice} device, int maxBatch, {TypeNames.LossReduction} lossReduction)");
        w.Line("    : base(device, maxBatch, lossReduction)");
        w.Line("{");
        w.Indent();
        foreach (EntryInput input in model.InputArrays)
            w.Line($"{HostField(BufferPlanner.InputField(input.Name))} = new {ElementType(input)}[{PerBatch(input.Shape.Size)}];");
        if (host.ReadsValues)
            w.Line("_hostValues = new float[maxBatch];");
        if (model.Train is { } train && LossIsBatched(train))
            w.Line("_hostLosses = new float[maxBatch];");
        if (kernels.UsesGemm)
        {
            w.Line("// A GPU runs many small work-items: 4 x 4 outputs each, 16 x 16 of them on a 64 x 64 tile. On a");
            w.Line("// CPU a work-group is a loop on one core, and 8 x 8 outputs per work-item ran 1.5-2x faster on");
            w.Line("// PoCL (bench/RESULTS.md). The tile halves until its work-items fit in a work-group; its local");
            w.Line("// tiles (8.3 KB at 64) fit any OpenCL 1.2 device (32 KB).");
            w.Line("_gemmBlock = device.IsGpu ? 4 : 8;");
            w.Line("int gemmTile = 64;");
            w.Line("while (gemmTile > _gemmBlock && (gemmTile / _gemmBlock) * (gemmTile / _gemmBlock) > device.MaxWorkGroupSize)");
            w.Line("    gemmTile /= 2;");
            w.Line("_gemmTile = gemmTile;");
        }
        w.Open("try");
        w.Line($"_parameters = device.AllocateFloats(ParameterCount, \"_parameters{owner}\");");
        w.Line($"_parameterCopy = {TypeNames.OpenClCopy}.Of(model.Parameters, _parameters);");
        if (model.Train is not null)
        {
            w.Line($"_gradients = device.AllocateFloats(ParameterCount, \"_gradients{owner}\");");
        }
        foreach (EntryInput input in model.InputArrays)
        {
            string field = BufferPlanner.InputField(input.Name);
            string allocate = input.Kind.IsInts() ? "AllocateInts" : "AllocateFloats";
            w.Line($"{field} = device.{allocate}({PerBatch(input.Shape.Size)}, \"{field}{owner}\");");
        }
        foreach (Slot slot in model.DeviceSlots)
            w.Line($"{slot.Field} = device.AllocateFloats({(slot.Batched ? PerBatch(slot.PerExample) : Literals.Int(slot.PerExample))}, \"{slot.Field}{owner}\");");
        if (model.Train is not null && model.Spec.OptimizerMethod is { } optimizer)
            w.Line($"_optimizer = new {TypeNames.OpenClOptimizer}({model.Spec.GlobalSelfType}.{optimizer}().CreateState(ParameterCount), device);");
        w.Line(kernels.UsesGemm
            ? $"{TypeNames.OpenClProgram} program = device.GetProgram(KernelSource, \"{model.Spec.FullName}\", $\"-DTILE={{_gemmTile}} -DBLOCK={{_gemmBlock}}\");"
            : $"{TypeNames.OpenClProgram} program = device.GetProgram(KernelSource, \"{model.Spec.FullName}\");");
        foreach (var (name, field) in kernels.Fields)
            w.Line($"{field} = program.CreateKernel(\"{name}\");");
        w.Close();
        w.Open("catch");
        w.Line("Release();");
        w.Line("throw;");
        w.Close();
        w.Unindent();
        w.Line("}");
    }

    private static void WriteDispose(SourceWriter w, CompiledModel model, ProgramKernels kernels)
    {
        w.Line();
        w.Open("protected override void Dispose(bool disposing)");
        w.Line("if (disposing)");
        w.Line("    Release();");
        w.Line("base.Dispose(disposing);");
        w.Close();
        w.Line();
        w.Line("/// <summary>Releases every kernel, buffer and optimizer buffer; fields a failed constructor never set are skipped.</summary>");
        w.Open("private void Release()");
        foreach (var (_, field) in kernels.Fields)
            w.Line($"{field}?.Dispose();");
        if (model.Train is not null && model.Spec.OptimizerMethod is not null)
            w.Line("_optimizer?.Dispose();");
        foreach (Slot slot in model.DeviceSlots)
            w.Line($"{slot.Field}?.Dispose();");
        foreach (EntryInput input in model.InputArrays)
            w.Line($"{BufferPlanner.InputField(input.Name)}?.Dispose();");
        if (model.Train is not null)
            w.Line("_gradients?.Dispose();");
        w.Line("// The last step's parameters come back to the host before their buffer goes.");
        w.Line("_parameterCopy?.Release();");
        w.Line("_parameters?.Dispose();");
        w.Close();
    }

    /// <summary>The host array an input is checked into: <c>_x</c> becomes <c>_hostX</c>.</summary>
    private static string HostField(string field) => "_host" + char.ToUpperInvariant(field[1]) + field.Substring(2);

    private static string ElementType(EntryInput input) => input.Kind.IsInts() ? "int" : "float";

    private static string PerBatch(int size) => size == 1 ? "maxBatch" : "maxBatch * " + Literals.Int(size);

    private static bool LossIsBatched(CompiledEntry train) =>
        train.Graph[train.Graph.OutputsOf(Ir.OutputRole.Loss).Single().Node].Batched;
}
