using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Dsl.Kernels.Ilgpu;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Xunit;

namespace Dsl.Tests.Ilgpu;

/// <summary>
/// Every kernel of the ILGPU library (<c>Dsl.Kernels.Ilgpu</c>: GEMM, rows, LayerNorm, movement,
/// gathers, optimizer updates, dropout, reductions) compiles to PTX for sm_70, sm_80 and sm_90
/// devices through ILGPU's PTX backend, with no GPU and no driver. The CPU accelerator runs the same
/// kernels in the contract tests, but it accepts what PTX does not (an unmapped intrinsic, a managed
/// call); this catches that here rather than on the GPU machine.
/// </summary>
/// <remarks>
/// Compiled as ILGPU's CudaAccelerator would: <c>.target</c> is the capability context's target
/// architecture, and both ends of the PTX ISA range (the oldest driver that knows the architecture,
/// ILGPU's newest) are compiled, as the generated kernels' PTX test does.
/// </remarks>
public sealed class IlgpuLibraryPtxTests
{
    private static readonly CudaArchitecture[] Devices = [CudaArchitecture.SM_70, CudaArchitecture.SM_80, CudaArchitecture.SM_90];

    /// <summary>The library's kernels: the public static methods of its <c>Ilgpu…Kernels</c> classes.</summary>
    private static IReadOnlyList<MethodInfo> LibraryKernels() =>
        typeof(IlgpuGemmKernels).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(IlgpuGemmKernels).Namespace && t.Name.StartsWith("Ilgpu", System.StringComparison.Ordinal) && t.Name.EndsWith("Kernels", System.StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.ReturnType == typeof(void))
            .OrderBy(m => m.DeclaringType!.Name).ThenBy(m => m.Name)
            .ToList();

    [Fact]
    public void TheLibraryListsEveryKernelFamily()
    {
        string[] names = LibraryKernels().Select(m => m.Name).ToArray();
        Assert.Subset(
            names.ToHashSet(),
            new HashSet<string>
            {
                "Gemm", "SoftmaxRows", "CrossEntropyRows", "CrossEntropyGradRows", "LayerNormRows", "LayerNormBackwardRows",
                "SwapAxes", "SplitHeads", "MergeHeads", "GatherRows", "ScatterAddRows", "SgdUpdate", "AdamUpdate", "Dropout",
                "GroupSums", "FinishSum", "Fill", "Copy", "Scale", "ClipFactor",
            });
    }

    /// <summary>The tiled convolution's kernels (issues 17/19) are among those compiled to PTX.</summary>
    [Fact]
    public void TheLibraryListsTheTiledConvolution()
    {
        string[] tiled = LibraryKernels().Where(m => m.DeclaringType == typeof(IlgpuTiledConvolutionKernels)).Select(m => m.Name).ToArray();
        Assert.Equal(["Forward", "InputGrad", "SumSlices", "WeightGrad"], tiled);
    }

    /// <summary>
    /// The clip factor is the host's only if the GPU rounds as the host does: the square root and the
    /// division must compile to PTX's IEEE round-to-nearest instructions, not the approximate ones
    /// fast math would pick.
    /// </summary>
    [Fact]
    public void TheClipFactorCompilesToRoundToNearestSqrtAndDivision()
    {
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        var capabilities = new CudaCapabilityContext(CudaArchitecture.SM_80);
        CudaArchitecture target = capabilities.TargetArchitecture;
        using var backend = new PTXBackend(
            context, capabilities, target, CudaAccelerator.GetInstructionSet(target, CudaDriverVersion.FromMajorMinor(99, 0)), null);
        MethodInfo kernel = typeof(IlgpuOptimizerKernels).GetMethod(nameof(IlgpuOptimizerKernels.ClipFactor))!;
        string ptx = ((PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), new KernelSpecialization())).PTXAssembly;
        string[] arithmetic = ptx.Split('\n').Where(line => line.Contains("div.") || line.Contains("sqrt.") || line.Contains("rcp.")).Select(line => line.Trim()).ToArray();
        Assert.True(
            arithmetic.Any(line => line.StartsWith("sqrt.rn.", StringComparison.Ordinal))
                && arithmetic.Any(line => line.StartsWith("div.rn.f32", StringComparison.Ordinal))
                && arithmetic.All(line => line.Contains(".rn.", StringComparison.Ordinal)),
            $"The clip factor's sqrt and division: {string.Join("; ", arithmetic)}");
    }

    [Fact]
    public void EveryLibraryKernelCompilesToPtxForSm70Sm80AndSm90()
    {
        IReadOnlyList<MethodInfo> kernels = LibraryKernels();
        // The context of a CUDA device: EnableAlgorithms gives the PTX backend MathF's exp and log.
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        foreach (CudaArchitecture device in Devices)
        {
            var capabilities = new CudaCapabilityContext(device);
            CudaArchitecture target = capabilities.TargetArchitecture;
            CudaInstructionSet[] instructionSets =
            [
                CudaAccelerator.GetInstructionSet(target, CudaDriverVersionUtils.GetMinimumDriverVersion(target)),
                CudaAccelerator.GetInstructionSet(target, CudaDriverVersion.FromMajorMinor(99, 0)),
            ];
            foreach (CudaInstructionSet instructionSet in instructionSets.Distinct())
            {
                using var backend = new PTXBackend(context, capabilities, target, instructionSet, null);
                foreach (MethodInfo kernel in kernels)
                {
                    // A kernel indexed by Index1D is launched auto-grouped; the others (shared memory, barriers) with explicit groups.
                    bool implicitlyGrouped = kernel.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(Index1D);
                    EntryPointDescription entry = implicitlyGrouped
                        ? EntryPointDescription.FromImplicitlyGroupedKernel(kernel)
                        : EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
                    var compiled = (PTXCompiledKernel)backend.Compile(entry, new KernelSpecialization());
                    string ptx = compiled.PTXAssembly;
                    Assert.Contains($".version {instructionSet}\n", ptx);
                    Assert.Contains($".target {target.ToString().ToLowerInvariant()}\n", ptx);
                    Assert.Contains($".visible .entry {compiled.Name}(", ptx);
                }
            }
        }
    }
}
