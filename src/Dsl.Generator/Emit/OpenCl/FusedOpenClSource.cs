using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit.OpenCl;

/// <summary>
/// The OpenCL C dialect of a device program's fused element-wise kernels: every kernel of its
/// <see cref="FusedKernelTable"/>, nothing else. The library kernels (GEMM, rows, movement...) are
/// the runtime's, and so are the helpers GELU and dropout call (<c>OpenClKernels.FusedPrelude</c>,
/// which the device puts before this text).
/// </summary>
internal static class FusedOpenClSource
{
    /// <summary>The program's fused kernels in OpenCL C 1.2, each noting the other steps that launch it.</summary>
    public static string Text(CompiledModel model, FusedKernelTable fused)
    {
        var parts = new System.Collections.Generic.List<string>
        {
            $"// The fused element-wise kernels of {model.Spec.Name}, written by Dsl.Generator: one kernel per\n"
            + "// element-wise step, as the CPU program's loops. float only (no double), no OpenCL 2.0 features.",
        };
        foreach (FusedKernelTable.Kernel kernel in fused.Unique)
        {
            var sharers = fused.Sharers(kernel).Select(s => $"{s.Entry.MethodName} (%{Literals.Int(s.Step.Root)})").ToList();
            string text = kernel.Source.TrimEnd('\n');
            if (sharers.Count > 0)
            {
                int at = text.IndexOf("__kernel ", System.StringComparison.Ordinal);
                text = text.Substring(0, at) + "// The same kernel computes " + string.Join(" and ", sharers) + ".\n" + text.Substring(at);
            }
            parts.Add(text);
        }
        return string.Join("\n\n", parts);
    }
}
