using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Dsl.EndToEnd.Tests.Ilgpu;

/// <summary>
/// Every model of this test assembly that has a device program (the end-to-end and generator test
/// models, QuickStart, Digits and the Gpt sample's model, linked in), and its generated ILGPU kernels.
/// </summary>
public static class IlgpuModels
{
    private static readonly Lazy<Dictionary<string, Type>> s_models = new(() =>
        typeof(IlgpuModels).Assembly.GetTypes()
            .Where(t => t.GetNestedType("DeviceProgram", BindingFlags.NonPublic) is not null)
            .ToDictionary(t => t.FullName!));

    /// <summary>The models' full names, as theory data.</summary>
    public static IEnumerable<object[]> Names => s_models.Value.Keys.OrderBy(n => n, StringComparer.Ordinal).Select(n => new object[] { n });

    /// <summary>The model type of <paramref name="name"/>.</summary>
    public static Type Model(string name) => s_models.Value[name];

    /// <summary>The fused kernels a model's device program carries (<c>DeviceProgram.FusedSources</c>).</summary>
    public static FusedKernelSources Sources(Type model)
    {
        Type program = model.GetNestedType("DeviceProgram", BindingFlags.NonPublic)!;
        FieldInfo field = program.GetField("FusedSources", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{model.Name}.DeviceProgram has no FusedSources.");
        return (FusedKernelSources)field.GetValue(null)!;
    }

    /// <summary>A model's ILGPU kernel named <paramref name="kernel"/>.</summary>
    public static MethodInfo Kernel(Type model, string kernel)
    {
        FusedKernelSources sources = Sources(model);
        int index = sources.KernelNames.ToList().IndexOf(kernel);
        if (index < 0) throw new InvalidOperationException($"{model.Name} has no fused kernel {kernel}; it has {string.Join(", ", sources.KernelNames)}.");
        return sources.Ilgpu![index];
    }
}
