using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit;

/// <summary>
/// The parts of a program's training entry points that every backend writes alike: TrainStep
/// (the gradients, the finite-loss check, then the backend's update) and ValueAndGrad (the
/// gradients, then the backend's copy to the caller). Backends differ only in the lines they pass.
/// </summary>
internal static class TrainingEntryPoints
{
    /// <summary>
    /// Writes <c>TrainStep</c> and <c>OptimizerState</c>, or, for a model without an
    /// <c>[Optimizer]</c>, a <c>TrainStep</c> that says so.
    /// </summary>
    /// <param name="update">The statements that apply the update once the loss is known to be finite.</param>
    /// <param name="optimizerState">The expression the <c>OptimizerState</c> property returns.</param>
    /// <param name="beforeBackward">A statement to run before the gradients are computed (the CPU program arms the gradient hook's hand-over).</param>
    public static void WriteTrainStep(SourceWriter w, CompiledModel model, CompiledEntry entry, IEnumerable<string> update, string optimizerState, string? beforeBackward = null)
    {
        w.Line();
        if (model.Spec.OptimizerMethod is null)
        {
            w.Line($"private protected override float TrainStepCore({ProgramApiEmitter.Parameters(entry)}) =>");
            w.Line($"    throw new {TypeNames.InvalidOperationException}(\"{model.Spec.Name} has no [Optimizer] method, so it cannot take a training step.\");");
            return;
        }

        w.Open($"private protected override float TrainStepCore({ProgramApiEmitter.Parameters(entry)})");
        if (beforeBackward is not null)
            w.Line(beforeBackward);
        w.Line($"float loss = ComputeGradients({Arguments(entry)});");
        w.Line("if (!float.IsFinite(loss))");
        w.Line("    throw new " + TypeNames.NonFiniteLossException + "(\"TrainStep\", loss);");
        foreach (string line in update)
            w.Line(line);
        w.Line("return loss;");
        w.Close();
        w.Line();
        w.Line($"public override {TypeNames.OptimizerState}? OptimizerState => {optimizerState};");
    }

    /// <summary>Writes <c>ValueAndGrad</c>; <paramref name="copyGradients"/> copies the gradients into the caller's span <c>gradients</c>.</summary>
    public static void WriteValueAndGrad(SourceWriter w, CompiledEntry entry, string copyGradients)
    {
        w.Line();
        w.Open($"private protected override float ValueAndGradCore({ProgramApiEmitter.Parameters(entry)}, {TypeNames.Span}<float> gradients)");
        w.Line("CheckLength<float>(gradients, \"gradients\", \"[ParameterCount]\", ParameterCount);");
        w.Line($"float loss = ComputeGradients({Arguments(entry)});");
        w.Line(copyGradients);
        w.Line("return loss;");
        w.Close();
    }

    private static string Arguments(CompiledEntry entry) => string.Join(", ", entry.Inputs.Select(i => i.Name));
}
