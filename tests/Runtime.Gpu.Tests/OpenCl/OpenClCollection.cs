using Xunit;

namespace Dsl.Tests.OpenCl;

/// <summary>
/// The OpenCL tests run one class at a time: PoCL spreads each kernel over every core, so running
/// them side by side only makes each slower. The kernel-contract classes share one device (and so
/// one build of the kernel library) through <see cref="Kernels.Contract.OpenClKernelsFixture"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OpenClCollection : ICollectionFixture<Kernels.Contract.OpenClKernelsFixture>
{
    public const string Name = "OpenCl";
}
