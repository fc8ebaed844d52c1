using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Dsl.Kernels.Ilgpu;
using Dsl.Testing;
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

    /// <summary>
    /// The library's kernels: the public static methods of its <c>Ilgpu…Kernels</c> classes, a
    /// kernel generic over its register block (<see cref="IRegisterBlock"/>) at every block the
    /// library instantiates it with.
    /// </summary>
    private static IReadOnlyList<MethodInfo> LibraryKernels() =>
        typeof(IlgpuGemmKernels).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(IlgpuGemmKernels).Namespace && t.Name.StartsWith("Ilgpu", System.StringComparison.Ordinal) && t.Name.EndsWith("Kernels", System.StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.ReturnType == typeof(void))
            .OrderBy(m => m.DeclaringType!.Name).ThenBy(m => m.Name)
            .SelectMany(m => m.IsGenericMethodDefinition ? RegisterBlocks().Select(block => m.MakeGenericMethod(block)) : [m])
            .ToList();

    /// <summary>The register blocks: every struct implementing <see cref="IRegisterBlock"/>, by side.</summary>
    private static IEnumerable<Type> RegisterBlocks() =>
        typeof(IRegisterBlock).Assembly.GetTypes()
            .Where(t => t.IsValueType && typeof(IRegisterBlock).IsAssignableFrom(t))
            .OrderBy(t => ((IRegisterBlock)Activator.CreateInstance(t)!).Side);

    /// <summary>A kernel's name with its register block, if any (<c>IlgpuGemmKernels.Gemm&lt;RegisterBlock4&gt;</c>).</summary>
    private static string NameOf(MethodInfo kernel) =>
        $"{kernel.DeclaringType!.Name}.{kernel.Name}" + (kernel.IsGenericMethod ? $"<{string.Join(", ", kernel.GetGenericArguments().Select(t => t.Name))}>" : "");

    /// <summary>The kernel's PTX from <paramref name="backend"/>, with the <see cref="EntryPointDescription"/> the library launches it with.</summary>
    private static PTXCompiledKernel Compile(PTXBackend backend, MethodInfo kernel)
    {
        // A kernel indexed by Index1D is launched auto-grouped; the others (shared memory, barriers) with explicit groups.
        bool implicitlyGrouped = kernel.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(Index1D);
        EntryPointDescription entry = implicitlyGrouped
            ? EntryPointDescription.FromImplicitlyGroupedKernel(kernel)
            : EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
        return (PTXCompiledKernel)backend.Compile(entry, new KernelSpecialization());
    }

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

    /// <summary>The tiled convolution's kernels (issues 17/19) are among those compiled to PTX, at every register block.</summary>
    [Fact]
    public void TheLibraryListsTheTiledConvolution()
    {
        string[] tiled = LibraryKernels().Where(m => m.DeclaringType == typeof(IlgpuTiledConvolutionKernels)).Select(NameOf).ToArray();
        string[] blocks = ["RegisterBlock1", "RegisterBlock2", "RegisterBlock4"];
        Assert.Equal(
            [
                .. blocks.Select(b => $"IlgpuTiledConvolutionKernels.Forward<{b}>"),
                .. blocks.Select(b => $"IlgpuTiledConvolutionKernels.InputGrad<{b}>"),
                "IlgpuTiledConvolutionKernels.SumSlices",
                .. blocks.Select(b => $"IlgpuTiledConvolutionKernels.WeightGrad<{b}>"),
            ],
            tiled);
    }

    /// <summary>
    /// Issue 17: no library kernel keeps per-thread state in local memory on an sm_80 device (the
    /// GPU tiling's architecture, ISA 8.0's newest PTX). Local memory is off-chip: the tiled GEMM's
    /// and convolution's sums there were a load and a store per multiply-add. Names every kernel
    /// that still does, with the lines that use it.
    /// </summary>
    [Fact]
    public void NoLibraryKernelUsesLocalMemoryOnSm80()
    {
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        var capabilities = new CudaCapabilityContext(CudaArchitecture.SM_80);
        CudaArchitecture target = capabilities.TargetArchitecture;
        using var backend = new PTXBackend(
            context, capabilities, target, CudaAccelerator.GetInstructionSet(target, CudaDriverVersion.FromMajorMinor(99, 0)), null);
        string[] offenders = LibraryKernels()
            .Select(kernel => PtxLocalMemory.Describe(NameOf(kernel), Compile(backend, kernel).PTXAssembly))
            .OfType<string>()
            .ToArray();
        Assert.True(offenders.Length == 0, "Kernels with local memory:\n" + string.Join("\n", offenders));
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
                    PTXCompiledKernel compiled = Compile(backend, kernel);
                    string ptx = compiled.PTXAssembly;
                    Assert.Contains($".version {instructionSet}\n", ptx);
                    Assert.Contains($".target {target.ToString().ToLowerInvariant()}\n", ptx);
                    Assert.Contains($".visible .entry {compiled.Name}(", ptx);
                }
            }
        }
    }
}
