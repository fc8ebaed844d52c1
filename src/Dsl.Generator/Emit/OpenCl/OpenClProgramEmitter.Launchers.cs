using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Emit.OpenCl.Library;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Emit.OpenCl;

// The host methods that set a kernel's arguments and enqueue it, one per fused kernel and one
// per kind of library kernel the program uses, and the read-back helpers. Setting arguments and
// launching allocate nothing, so a step allocates nothing.
internal static partial class OpenClProgramEmitter
{
    private static void WriteLaunchers(SourceWriter w, ProgramKernels kernels, HostState host)
    {
        foreach (FusedKernelTable.Kernel kernel in kernels.Fused.Unique)
            WriteFusedLauncher(w, kernel);
        foreach (KernelLauncher launcher in kernels.Launchers)
        {
            w.Line();
            w.Lines(launcher.Text.TrimEnd('\n'));
        }

        if (host.Mean)
        {
            w.Line();
            w.Line("/// <summary>Reads a per-example scalar of the batch back and returns its mean, summed in double as on the CPU.</summary>");
            w.Open($"private float Mean({Buffer} buffer, int offset, int batch)");
            w.Line($"{TypeNames.Span}<float> values = _hostValues.AsSpan(0, batch);");
            w.Line("buffer.Read(values, offset);");
            w.Line($"return {TypeNames.Rows}.Mean(values);");
            w.Close();
        }
        if (host.Scalar)
        {
            w.Line();
            w.Line("/// <summary>Reads one float back from the device.</summary>");
            w.Open($"private float Scalar({Buffer} buffer, int offset)");
            w.Line("buffer.Read(_hostValues.AsSpan(0, 1), offset);");
            w.Line("return _hostValues[0];");
            w.Close();
        }

        w.Line();
        w.Line("/// <summary>A global size rounded up to whole work-groups; kernels skip the work-items past the end.</summary>");
        w.Line("private static int RoundUp(int count, int multiple) => (count + multiple - 1) / multiple * multiple;");
    }

    /// <summary>
    /// <c>RunForwardFused0(rows, a0, o0, ..., r3, o3)</c>: the fused kernel's arguments in its
    /// own order, the loss seed from the program, one work-item per element.
    /// </summary>
    private static void WriteFusedLauncher(SourceWriter w, FusedKernelTable.Kernel kernel)
    {
        Graph graph = kernel.Entry.Graph;
        Node root = graph[kernel.Step.Root];
        int arrays = kernel.Operands.Arrays.Count;
        string result = Literals.Int(arrays + kernel.Step.Chain.Count - 1);
        var parameters = new List<string> { "int rows" };
        parameters.AddRange(Enumerable.Range(0, arrays).Select(i => $"{Buffer} a{i}, int o{i}"));
        parameters.Add($"{Buffer} r{result}, int o{result}");

        w.Line();
        w.Line($"/// <summary>Launches {kernel.Name}, which computes %{root.Id} {IrPrinter.Type(root)} of {kernel.Entry.MethodName}: one work-item per element.</summary>");
        w.Open($"private void {kernel.Launcher}({string.Join(", ", parameters)})");
        w.Line($"{TypeNames.OpenClKernel} kernel = {kernel.Field};");
        int index = 0;
        w.Line($"kernel.SetArg({index++}, rows);");
        for (int i = 0; i < arrays; i++)
        {
            w.Line($"kernel.SetArg({index++}, a{i});");
            w.Line($"kernel.SetArg({index++}, o{i});");
        }
        w.Line($"kernel.SetArg({index++}, r{result});");
        w.Line($"kernel.SetArg({index++}, o{result});");
        if (kernel.Operands.UsesSeed)
            w.Line($"kernel.SetArg({index++}, _seed);");
        if (FusedKernelTable.HasDropout(graph, kernel.Step))
        {
            // Fused dropout: the mask's key and step, as uints.
            w.Line($"kernel.SetArg({index++}, unchecked((int)(uint)DropoutKey));");
            w.Line($"kernel.SetArg({index++}, unchecked((int)(uint)(DropoutKey >> 32)));");
            w.Line($"kernel.SetArg({index++}, unchecked((int)DropoutStep));");
        }
        w.Line($"kernel.Launch(RoundUp({(root.Shape.Size == 1 ? "rows" : "rows * " + Literals.Int(root.Shape.Size))}, 64));");
        w.Close();
    }
}
