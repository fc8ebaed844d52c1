using ILGPU;

namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// Fills, copies and scales, and the two-stage reduction of <c>vectors.cl</c> that brings a vector
/// down to one float on the device (a loss's mean, the gradient's sum of squares). ILGPU.Algorithms'
/// <c>Reduce</c> is not used: it combines its groups' results with atomics, in an order that varies
/// from run to run, and the device promises bit-identical runs.
/// </summary>
internal static class IlgpuVectorKernels
{
    /// <summary>y[i] = value for i &lt; count.</summary>
    public static void Fill(int count, ArrayView<float> y, float value)
    {
        for (int i = IlgpuGridStride.Start; i < count; i += IlgpuGridStride.Stride)
            y[i] = value;
    }

    /// <summary>y[i] = x[i] for i &lt; count.</summary>
    public static void Copy(int count, ArrayView<float> x, ArrayView<float> y)
    {
        for (int i = IlgpuGridStride.Start; i < count; i += IlgpuGridStride.Stride)
            y[i] = x[i];
    }

    /// <summary>y[i] = factor · x[i] for i &lt; count.</summary>
    public static void Scale(int count, ArrayView<float> x, ArrayView<float> y, float factor)
    {
        for (int i = IlgpuGridStride.Start; i < count; i += IlgpuGridStride.Stride)
            y[i] = factor * x[i];
    }

    /// <summary>
    /// Stage one, over the first <paramref name="blocks"/> blocks of x: block w is elements
    /// [w·L·K, (w+1)·L·K) (L = the group size, a power of two; K = items per thread), added by one
    /// group (their squares when <paramref name="square"/> is 1): thread i adds elements w·L·K + k·L + i
    /// for k &lt; K, then the group adds its L sums in a fixed tree and writes partials[w].
    /// </summary>
    public static void GroupSums(int blocks, ArrayView<float> x, ArrayView<float> partials, int count, int itemsPerThread, int square)
    {
        ArrayView<float> scratch = SharedMemory.Allocate<float>(GroupReduction.MaxGroupSize);
        int size = Group.DimX;
        // Grid-stride over the blocks: every thread of a group runs the same iterations, so the
        // reduction's barriers stay uniform, and each block's sum is the same whichever group adds it.
        for (int w = Grid.IdxX; w < blocks; w += Grid.DimX)
        {
            int start = (w * size * itemsPerThread) + Group.IdxX;
            float sum = 0f;
            for (int k = 0; k < itemsPerThread; k++)
            {
                int i = start + (k * size);
                if (i < count)
                {
                    float value = x[i];
                    // An explicit fma, as the OpenCL kernel and the CPU's norm square and add.
                    sum = square != 0 ? ExactMath.Fma(value, value, sum) : sum + value;
                }
            }

            sum = GroupReduction.Sum(scratch, sum);
            if (Group.IdxX == 0)
                partials[w] = sum;
        }
    }

    /// <summary>Stage two, the grid's first thread: result[0] = (the partials added in order) / divisor.</summary>
    public static void FinishSum(ArrayView<float> partials, ArrayView<float> result, int groups, float divisor)
    {
        if (IlgpuGridStride.Start != 0)
            return;
        float sum = 0f;
        for (int w = 0; w < groups; w++)
            sum += partials[w];
        result[0] = sum / divisor;
    }

    /// <summary>y[i] = x[i]·scale where stream position start + i of (seed, site, step) is kept, else 0, for i &lt; count.</summary>
    public static void Dropout(int count, ArrayView<float> x, ArrayView<float> y, DropoutArguments arguments)
    {
        for (int i = IlgpuGridStride.Start; i < count; i += IlgpuGridStride.Stride)
        {
            uint indexLow = arguments.StartLow + (uint)i;
            uint indexHigh = arguments.StartHigh + (indexLow < arguments.StartLow ? 1u : 0u);
            uint bits = IlgpuPhilox.Draw(indexLow, indexHigh, arguments.Site, arguments.Step, arguments.SeedLow, arguments.SeedHigh);
            y[i] = bits >> 8 >= arguments.Threshold ? x[i] * arguments.Scale : 0f;
        }
    }
}

/// <summary>The scalars of <see cref="IlgpuVectorKernels.Dropout"/> (one kernel argument).</summary>
internal readonly record struct DropoutArguments(
    uint SeedLow, uint SeedHigh, uint Site, uint Step, uint StartLow, uint StartHigh, uint Threshold, float Scale);
