using System.Collections.Generic;
using System.Linq;

namespace Dsl.Generator.Specs;

/// <summary>
/// How far the generator unrolls module stacks. Every module of a <c>[Repeat(n)]</c> stack becomes
/// its own inlined code (about 200 KB of C# per transformer block), so a count typed by mistake,
/// <c>[Repeat(1 &lt;&lt; 20)]</c>, would take the IDE's memory rather than describe a model. The
/// limits sit far above real models (GPT-3 has 96 blocks).
/// </summary>
internal static class ModuleLimits
{
    /// <summary>The largest count of one stack.</summary>
    public const int MaxRepeat = 1024;

    /// <summary>The most module instances a model may unroll to, counting stacks inside stacks.</summary>
    public const int MaxModules = 4096;

    /// <summary>The first child of the model whose modules, with the stacks inside them, pass <see cref="MaxModules"/>; null when none does.</summary>
    public static ChildSpec? FirstTooLarge(ModelSpec model)
    {
        Dictionary<string, ModuleSpec> modules = model.Modules.ToDictionary(m => m.TypeName);
        var sizes = new Dictionary<string, long>();
        long total = 0;
        foreach (ChildSpec child in model.Children)
        {
            total += Instances(child, modules, sizes);
            if (total > MaxModules)
                return child;
        }

        return null;
    }

    /// <summary>The modules one child unrolls to, saturated just above the limit (recursive modules are refused before this runs).</summary>
    private static long Instances(ChildSpec child, Dictionary<string, ModuleSpec> modules, Dictionary<string, long> sizes)
    {
        if (!sizes.TryGetValue(child.ModuleType, out long size))
        {
            size = 1;
            if (modules.TryGetValue(child.ModuleType, out ModuleSpec? module))
                foreach (ChildSpec inner in module.Children)
                    size = System.Math.Min(size + Instances(inner, modules, sizes), MaxModules + 1L);
            sizes[child.ModuleType] = size;
        }

        return System.Math.Min((child.Count ?? 1) * size, MaxModules + 1L);
    }
}
