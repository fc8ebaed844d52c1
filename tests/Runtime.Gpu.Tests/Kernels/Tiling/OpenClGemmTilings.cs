using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Dsl.Tests.Kernels.Contract;

namespace Dsl.Tests.Kernels.Tiling;

/// <summary>
/// The OpenCL library at every GEMM tiling a device may get (blocks of 4 on a GPU, 8 elsewhere; a
/// tile of 64 halved where work-groups are small), each built once for the test class that uses it,
/// on the collection's one device.
/// </summary>
/// <param name="fixture">The collection's device.</param>
public sealed class OpenClGemmTilings(OpenClKernelsFixture fixture)
{
    private readonly ConcurrentDictionary<(int Tile, int Block), OpenClKernels> _libraries = new();

    /// <summary>Every (tile, block) pair, as theory rows.</summary>
    public static IEnumerable<object[]> All =>
        from block in new[] { 4, 8 }
        from tile in new[] { 64, 32, 16, 8 }
        select new object[] { tile, block };

    /// <summary>The library built with <paramref name="tile"/> and <paramref name="block"/> (its kernels are the device's, released with it).</summary>
    public OpenClKernels Library(int tile, int block) =>
        _libraries.GetOrAdd((tile, block), tiling => new OpenClKernels(fixture.Device, tiling));
}
