using Dsl.Tests.Ilgpu;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

// Every kernel family's contract on ILGPU's CPU accelerator, against CpuKernels: the CUDA path's
// kernels (the same ILGPU C#, the tiled GEMM in place of cuBLAS), checked without a GPU.

/// <summary>The ILGPU attention kernels (split/merge heads, causal mask and softmax) on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuAttentionKernelTests(IlgpuKernelsFixture fixture) : AttentionKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU dropout masks, bit for bit the CPU's on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuDropoutKernelContractTests(IlgpuKernelsFixture fixture) : DropoutKernelContractTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU gather and deterministic scatter-add on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuGatherScatterKernelTests(IlgpuKernelsFixture fixture) : GatherScatterKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU tiled GEMM and batched GEMM on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuGemmKernelTests(IlgpuKernelsFixture fixture) : GemmKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU movement kernels on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuMovementKernelTests(IlgpuKernelsFixture fixture) : MovementKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU LayerNorm kernels on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuNormalizationKernelTests(IlgpuKernelsFixture fixture) : NormalizationKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU fused SGD and Adam updates on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuOptimizerKernelTests(IlgpuKernelsFixture fixture) : OptimizerKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU row kernels (softmaxes, cross-entropy, sums) on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuRowKernelTests(IlgpuKernelsFixture fixture) : RowKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU vector kernels (fill, copy, scale, mean, sum of squares) on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuVectorKernelTests(IlgpuKernelsFixture fixture) : VectorKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU argument validation on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuKernelValidationTests(IlgpuKernelsFixture fixture) : KernelValidationTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU im2col, col2im and max-pooling mask on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuConvolutionKernelTests(IlgpuKernelsFixture fixture) : ConvolutionKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
