using ILGPU;

namespace Dsl;

/// <summary>
/// The grid-stride loop every ILGPU kernel of the runtime and of the generated programs is written
/// as: the device launches a bounded grid (<see cref="IlgpuDevice.GridStrideLaunch"/>: enough
/// groups to fill it, no more) and each thread walks the elements
/// <c>for (int i = IlgpuGridStride.Start; i &lt; count; i += IlgpuGridStride.Stride)</c>.
/// </summary>
/// <remarks>
/// One thread per element costs a group's start-up per few elements, which on ILGPU's CPU
/// accelerator (its groups are synchronised OS threads) dominates the run; a bounded grid pays it
/// once per thread. On CUDA consecutive threads still touch consecutive elements, so loads stay
/// coalesced. Kernels written this way are explicitly grouped (no <c>Index1D</c> parameter).
/// </remarks>
public static class IlgpuGridStride
{
    /// <summary>The first element of the calling thread: its index in the whole grid.</summary>
    public static int Start => (Grid.IdxX * Group.DimX) + Group.IdxX;

    /// <summary>The distance between the elements of one thread: the grid's threads.</summary>
    public static int Stride => Grid.DimX * Group.DimX;
}
