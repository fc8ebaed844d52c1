using Dsl.Tests.Ilgpu;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

// Every kernel family's contract on CUDA device 0 (the ILGPU library, products on cuBLAS), against
// CpuKernels. Skipped with the reason where there is no NVIDIA driver or GPU; DSL_REQUIRE_CUDA=1
// makes them run (and fail) there instead.

/// <summary>The attention kernels (split/merge heads, causal mask and softmax) on CUDA, against the CPU's.</summary>
[Collection(CudaCollection.Name)]
public sealed class CudaAttentionKernelTests(CudaKernelsFixture fixture) : AttentionKernelTests, ICudaKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The dropout masks, bit for bit the CPU's on CUDA, against the CPU's.</summary>
[Collection(CudaCollection.Name)]
public sealed class CudaDropoutKernelContractTests(CudaKernelsFixture fixture) : DropoutKernelContractTests, ICudaKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The gather and deterministic scatter-add on CUDA, against the CPU's.</summary>
[Collection(CudaCollection.Name)]
public sealed class CudaGatherScatterKernelTests(CudaKernelsFixture fixture) : GatherScatterKernelTests, ICudaKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The cuBLAS GEMM and batched GEMM on CUDA, against the CPU's.</summary>
[Collection(CudaCollection.Name)]
public sealed class CudaGemmKernelTests(CudaKernelsFixture fixture) : GemmKernelTests, ICudaKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The movement kernels on CUDA, against the CPU's.</summary>
[Collection(CudaCollection.Name)]
public sealed class CudaMovementKernelTests(CudaKernelsFixture fixture) : MovementKernelTests, ICudaKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The LayerNorm kernels on CUDA, against the CPU's.</summary>
[Collection(CudaCollection.Name)]
public sealed class CudaNormalizationKernelTests(CudaKernelsFixture fixture) : NormalizationKernelTests, ICudaKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The fused SGD and Adam updates on CUDA, against the CPU's.</summary>
[Collection(CudaCollection.Name)]
public sealed class CudaOptimizerKernelTests(CudaKernelsFixture fixture) : OptimizerKernelTests, ICudaKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The row kernels (softmaxes, cross-entropy, sums) on CUDA, against the CPU's.</summary>
[Collection(CudaCollection.Name)]
public sealed class CudaRowKernelTests(CudaKernelsFixture fixture) : RowKernelTests, ICudaKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The vector kernels (fill, copy, scale, mean, sum of squares) on CUDA, against the CPU's.</summary>
[Collection(CudaCollection.Name)]
public sealed class CudaVectorKernelTests(CudaKernelsFixture fixture) : VectorKernelTests, ICudaKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The argument validation on CUDA, against the CPU's.</summary>
[Collection(CudaCollection.Name)]
public sealed class CudaKernelValidationTests(CudaKernelsFixture fixture) : KernelValidationTests, ICudaKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
