using System.Linq;
using System.Reflection;
using Dsl.Kernels.Ilgpu;
using Xunit;

namespace Dsl.Tests.Ilgpu;

/// <summary>
/// The adaptive pooling kernels (issue 19) are library kernels: public static void methods of an
/// <c>Ilgpu…Kernels</c> class, which <see cref="IlgpuLibraryPtxTests"/> compiles to PTX for sm_70,
/// sm_80 and sm_90 with the others.
/// </summary>
public sealed class IlgpuAdaptivePoolingPtxTests
{
    [Fact]
    public void TheAdaptivePoolingKernelsAreAmongThoseCompiledToPtx()
    {
        string[] kernels = typeof(IlgpuAdaptivePoolingKernels).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType == typeof(void)).Select(m => m.Name).OrderBy(n => n, System.StringComparer.Ordinal).ToArray();
        Assert.Equal(["AdaptiveAvgPool", "AdaptiveAvgPoolBackward", "AdaptiveMaxPool", "AdaptiveMaxPoolBackward"], kernels);
        Assert.StartsWith("Ilgpu", typeof(IlgpuAdaptivePoolingKernels).Name);
        Assert.EndsWith("Kernels", typeof(IlgpuAdaptivePoolingKernels).Name);
        Assert.Equal(typeof(IlgpuGemmKernels).Namespace, typeof(IlgpuAdaptivePoolingKernels).Namespace);
    }
}
