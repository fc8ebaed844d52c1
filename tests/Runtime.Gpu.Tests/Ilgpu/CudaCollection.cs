using Xunit;

namespace Dsl.Tests.Ilgpu;

/// <summary>
/// The CUDA tests run one class at a time on one GPU; the kernel-contract classes share one device
/// (one compile of each library kernel, one cuBLAS handle) through <see cref="Kernels.Contract.CudaKernelsFixture"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CudaCollection : ICollectionFixture<Kernels.Contract.CudaKernelsFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Cuda";
}
