using System;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Lowering;
using Dsl.Generator.Pipeline;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Emit;

/// <summary>
/// The checks every program runs on the caller's spans before touching a buffer, written once for
/// the CPU program and the device program so that bad input throws the same exception with the
/// same message on every device: the batch from the first input, each further input's length, then
/// <c>InputGuard</c>'s copy that refuses NaN, infinities and out-of-range labels or tokens, naming the input.
/// </summary>
internal static class InputChecks
{
    /// <summary>
    /// Writes the checks of <paramref name="entry"/>'s inputs. <paramref name="destination"/> names
    /// the array an input is checked into, or null for a float input read in place (then only checked).
    /// <paramref name="afterEach"/> writes what follows each input's check (a device program's upload).
    /// </summary>
    public static void Write(SourceWriter w, CompiledEntry entry, Func<EntryInput, string?> destination, Action<EntryInput>? afterEach = null)
    {
        EntryInput first = entry.BatchInput;
        w.Line($"int batch = BatchOf({first.Name}, \"{first.Name}\", \"{ProgramApiEmitter.BatchShape(first)}\", {first.Shape.Size});");
        foreach (EntryInput input in entry.Inputs)
        {
            string? target = destination(input);
            if (input.Kind == ValueKind.Label)
            {
                w.Line($"CheckLength({input.Name}, \"{input.Name}\", \"[B]\", batch);");
                w.Line($"{TypeNames.InputGuard}.CopyLabels({input.Name}, {target}, \"{input.Name}\", classes: {Literals.Int(entry.LabelClasses(input.Name))});");
            }
            else
            {
                if (input != first)
                    w.Line($"CheckLength({input.Name}, \"{input.Name}\", \"{ProgramApiEmitter.BatchShape(input)}\", batch * {input.Shape.Size});");
                if (input.Kind == ValueKind.Tokens)
                    w.Line($"{TypeNames.InputGuard}.CopyTokens({input.Name}, {target}, \"{input.Name}\", vocabulary: {Literals.Int(entry.LabelClasses(input.Name))}, length: {Literals.Int(input.Shape.Size)});");
                else if (target is null)
                    w.Line($"{TypeNames.InputGuard}.CheckFinite({input.Name}, \"{input.Name}\", {input.Shape.Size});");
                else
                    w.Line($"{TypeNames.InputGuard}.CopyChecked({input.Name}, {target}, \"{input.Name}\", {input.Shape.Size});");
            }
            afterEach?.Invoke(input);
        }
    }
}
