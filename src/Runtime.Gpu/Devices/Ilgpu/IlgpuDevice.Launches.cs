using System;
using ILGPU;
using ILGPU.Runtime;

namespace Dsl;

public sealed partial class IlgpuDevice
{
    /// <summary>Threads of a grid-stride group on a GPU (a multiple of every warp size).</summary>
    private const int GridStrideGroupSize = 256;

    /// <summary>
    /// The launch of a grid-stride kernel over <paramref name="items"/> items
    /// (<see cref="IlgpuGridStride"/>): groups of at most 256 threads, and no more groups than the
    /// device keeps resident at once (its multiprocessors × the groups each holds) or the items need.
    /// </summary>
    /// <remarks>On the CPU accelerator (one multiprocessor of 16 threads) that is one group of 16.</remarks>
    internal KernelConfig GridStrideLaunch(long items)
    {
        int group = Math.Min(GridStrideGroupSize, Accelerator.MaxNumThreadsPerGroup);
        long groups = Math.Clamp((items + group - 1) / group, 1L, ResidentGroups(group));
        return new KernelConfig((int)groups, group);
    }

    /// <summary>
    /// The launch of a kernel with one group of <paramref name="groupSize"/> threads per row, grid-stride
    /// over <paramref name="rows"/> rows: no more groups than the device keeps resident at once.
    /// </summary>
    internal KernelConfig RowStrideLaunch(long rows, int groupSize) =>
        new((int)Math.Clamp(rows, 1L, ResidentGroups(groupSize)), groupSize);

    /// <summary>
    /// The groups of <paramref name="groupSize"/> threads the device keeps resident at once (its
    /// multiprocessors × the groups each holds): the most a grid-stride launch needs.
    /// </summary>
    internal long ResidentGroups(int groupSize)
    {
        Accelerator accelerator = Accelerator;
        return Math.Max(1L, (long)accelerator.NumMultiprocessors * Math.Max(1, accelerator.MaxNumThreadsPerMultiprocessor / groupSize));
    }
}
