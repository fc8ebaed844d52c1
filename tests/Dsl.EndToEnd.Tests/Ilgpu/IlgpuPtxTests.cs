using System.Linq;
using System.Reflection;
using Dsl.Testing;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Xunit;

namespace Dsl.EndToEnd.Tests.Ilgpu;

/// <summary>
/// Every generated fused kernel of every test model compiles to PTX for sm_70, sm_80 and sm_90
/// devices through ILGPU's PTX backend, with no GPU and no driver: what a CUDA device would load, so
/// an op whose ILGPU rendering ILGPU cannot compile (a span, an exception, an unmapped intrinsic such
/// as MathF.FusedMultiplyAdd) fails here rather than on the GPU machine.
/// </summary>
/// <remarks>
/// Each device is compiled for as ILGPU's CudaAccelerator would: the <c>.target</c> is the capability
/// context's <see cref="CudaCapabilityContext.TargetArchitecture"/>, the lowest architecture with
/// every capability ILGPU uses (so an sm_90 device gets <c>.target sm_80</c> PTX, which its driver
/// compiles for sm_90), and the PTX ISA is the newest the driver accepts. Both ends of that ISA range
/// are compiled: the oldest driver that knows the architecture, and ILGPU's newest ISA.
/// </remarks>
public sealed class IlgpuPtxTests
{
    private static readonly CudaArchitecture[] s_devices = { CudaArchitecture.SM_70, CudaArchitecture.SM_80, CudaArchitecture.SM_90 };

    [Theory]
    [MemberData(nameof(IlgpuModels.Names), MemberType = typeof(IlgpuModels))]
    public void EveryFusedKernelCompilesToPtxForSm70Sm80AndSm90(string name)
    {
        FusedKernelSources sources = IlgpuModels.Sources(IlgpuModels.Model(name));
        Assert.NotNull(sources.Ilgpu);
        Assert.Equal(sources.KernelNames, sources.Ilgpu!.Select(m => m.Name));
        Assert.NotEmpty(sources.Ilgpu);

        // The context of a CUDA device: EnableAlgorithms gives the PTX backend MathF's exp, log and tanh.
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        foreach (CudaArchitecture device in s_devices)
        {
            var capabilities = new CudaCapabilityContext(device);
            CudaArchitecture target = capabilities.TargetArchitecture;
            CudaDriverVersion oldest = CudaDriverVersionUtils.GetMinimumDriverVersion(target);
            CudaInstructionSet[] instructionSets =
            {
                CudaAccelerator.GetInstructionSet(target, oldest),
                CudaAccelerator.GetInstructionSet(target, CudaDriverVersion.FromMajorMinor(99, 0)),
            };
            foreach (CudaInstructionSet instructionSet in instructionSets.Distinct())
            {
                using var backend = new PTXBackend(context, capabilities, target, instructionSet, null);
                foreach (MethodInfo kernel in sources.Ilgpu)
                {
                    var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), new KernelSpecialization());
                    string ptx = compiled.PTXAssembly;
                    Assert.Contains($".version {instructionSet}\n", ptx);
                    Assert.Contains($".target {target.ToString().ToLowerInvariant()}\n", ptx);
                    Assert.Contains($".visible .entry {compiled.Name}(", ptx);
                }
            }
        }
    }

    /// <summary>
    /// Issue 17: no generated kernel keeps per-thread state in local memory (off-chip on a GPU) on
    /// an sm_80 device: an op whose ILGPU rendering indexes an array by a variable would put it
    /// there. Names each kernel that does, with the lines that use it.
    /// </summary>
    [Theory]
    [MemberData(nameof(IlgpuModels.Names), MemberType = typeof(IlgpuModels))]
    public void NoFusedKernelUsesLocalMemoryOnSm80(string name)
    {
        FusedKernelSources sources = IlgpuModels.Sources(IlgpuModels.Model(name));
        Assert.NotNull(sources.Ilgpu);
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        var capabilities = new CudaCapabilityContext(CudaArchitecture.SM_80);
        CudaArchitecture target = capabilities.TargetArchitecture;
        using var backend = new PTXBackend(
            context, capabilities, target, CudaAccelerator.GetInstructionSet(target, CudaDriverVersion.FromMajorMinor(99, 0)), null);
        string[] offenders = sources.Ilgpu!
            .Select(kernel => PtxLocalMemory.Describe(
                kernel.Name,
                ((PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), new KernelSpecialization())).PTXAssembly))
            .OfType<string>()
            .ToArray();
        Assert.True(offenders.Length == 0, $"{name}'s kernels with local memory:\n" + string.Join("\n", offenders));
    }

    /// <summary>The architectures above reach the PTX targets the remarks name: the compile covers sm_70 and sm_80 code.</summary>
    [Fact]
    public void DevicesOfSm70Sm80AndSm90GetPtxTargetsSm70Sm80AndSm80()
    {
        Assert.Equal(
            new[] { CudaArchitecture.SM_70, CudaArchitecture.SM_80, CudaArchitecture.SM_80 },
            s_devices.Select(d => new CudaCapabilityContext(d).TargetArchitecture));
    }
}
