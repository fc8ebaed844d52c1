using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Emit.OpenCl;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit.Ilgpu;

/// <summary>
/// The ILGPU dialect of a device program's fused element-wise kernels: a nested static class
/// <see cref="ClassName"/> holding every kernel of its <see cref="FusedKernelTable"/> as a public
/// static C# method, which ILGPU compiles from IL (to PTX on CUDA) when a device asks for them.
/// </summary>
/// <remarks>
/// The class is the program's own, and is only reflected on through <c>Dsl.FusedKernelMethods</c>,
/// on first use: a CPU or OpenCL run, or a NativeAOT build of one, never compiles these kernels
/// with ILGPU (NativeAOT cannot), while <c>typeof(IlgpuKernels)</c> passed as a type annotated
/// <c>[DynamicallyAccessedMembers(PublicMethods)]</c> keeps them through trimming.
/// </remarks>
internal static class FusedIlgpuSource
{
    /// <summary>The kernels' class, nested in the device program.</summary>
    public const string ClassName = "IlgpuKernels";

    /// <summary>Writes the kernels' class.</summary>
    public static void Write(SourceWriter w, CompiledModel model, FusedKernelTable fused)
    {
        w.Line($"/// <summary>The fused element-wise kernels of {model.Spec.Name} as ILGPU kernels: C# over ArrayViews, from the op table's scalar C# (the CPU loops' scalar tails).</summary>");
        w.Open($"private static class {ClassName}");
        bool first = true;
        foreach (FusedKernelTable.Kernel kernel in fused.Unique)
        {
            if (!first) w.Line();
            first = false;
            var sharers = fused.Sharers(kernel).Select(s => $"{s.Entry.MethodName} (%{Literals.Int(s.Step.Root)})").ToList();
            string text = kernel.IlgpuSource.TrimEnd('\n');
            if (sharers.Count > 0)
            {
                int at = text.IndexOf("public static void ", System.StringComparison.Ordinal);
                text = text.Substring(0, at) + "// The same kernel computes " + string.Join(" and ", sharers) + ".\n" + text.Substring(at);
            }
            w.Lines(text);
        }
        w.Close();
    }

    /// <summary>The initializer of <c>FusedKernelSources.Ilgpu</c>: the kernels looked up by name on first use.</summary>
    public static string Methods(string names) => $"new {TypeNames.FusedKernelMethods}(typeof({ClassName}), [{names}])";
}
