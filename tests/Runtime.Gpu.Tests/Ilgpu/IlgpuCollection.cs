using Xunit;

namespace Dsl.Tests.Ilgpu;

/// <summary>
/// The tests on ILGPU's CPU accelerator run one class at a time: the accelerator runs a group's
/// threads on every core, so classes side by side only slow each other. The kernel-contract classes
/// share one device (one compile of each library kernel) through <see cref="Kernels.Contract.IlgpuKernelsFixture"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class IlgpuCollection : ICollectionFixture<Kernels.Contract.IlgpuKernelsFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Ilgpu";
}
