using System;
using System.Collections.Generic;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace Dsl.EndToEnd.Tests.Ilgpu;

/// <summary>
/// Runs generated ILGPU kernels (<see cref="FusedKernelSources.Ilgpu"/>) on ILGPU's CPU accelerator,
/// which executes ILGPU's compiled form of the kernel (not the C# method itself) on the host, on a grid smaller than the count, with the
/// launch arguments of the dialect's contract: count, each array with its offset, the result with its
/// offset, the loss seed and the dropout key and step.
/// </summary>
public sealed class CpuAcceleratorKernels : IDisposable
{
    private readonly Context _context;
    private readonly CPUAccelerator _accelerator;

    /// <summary>
    /// Two groups of eight threads: fewer than most counts the tests launch, so that each kernel's
    /// grid-stride loop takes several elements per thread, as on a device's bounded grid.
    /// </summary>
    private static readonly KernelConfig Grid = new(2, 8);

    /// <summary>Starts ILGPU's default simulated device: one multiprocessor of four warps of four threads.</summary>
    public CpuAcceleratorKernels()
    {
        _context = Context.Create(b => b.CPU(CPUDevice.Default).EnableAlgorithms());
        _accelerator = _context.CreateCPUAccelerator(0);
    }

    /// <summary>
    /// Launches <paramref name="kernel"/> over <paramref name="count"/> elements and returns its result.
    /// Each operand is placed at <paramref name="offset"/> in a larger buffer, and so is the result,
    /// so the kernel's offsets are exercised.
    /// </summary>
    /// <param name="kernel">A generated ILGPU kernel.</param>
    /// <param name="count">The number of result elements (work items).</param>
    /// <param name="operands">The kernel's arrays, in parameter order (the result excluded).</param>
    /// <param name="resultLength">The result buffer's length past its offset.</param>
    /// <param name="offset">Where each array starts in its buffer.</param>
    /// <param name="scalars">The loss seed and the dropout key and step.</param>
    /// <param name="storedValues">
    /// How many values the kernel also stores for later readers, each in an array of
    /// <paramref name="resultLength"/> passed between the operands and the result (read back by nobody here).
    /// </param>
    /// <returns>The result's <paramref name="resultLength"/> elements.</returns>
    public float[] Run(MethodInfo kernel, int count, IReadOnlyList<float[]> operands, int resultLength, int offset, FusedScalars scalars, int storedValues = 0)
    {
        var buffers = new List<MemoryBuffer1D<float, Stride1D.Dense>>();
        try
        {
            var arguments = new List<object> { count };
            foreach (float[] operand in operands)
            {
                var buffer = _accelerator.Allocate1D<float>(offset + operand.Length);
                buffers.Add(buffer);
                buffer.View.SubView(offset, operand.Length).CopyFromCPU(operand);
                arguments.Add((ArrayView<float>)buffer.View);
                arguments.Add(offset);
            }

            for (int i = 0; i < storedValues; i++)
            {
                var stored = _accelerator.Allocate1D<float>(offset + resultLength);
                buffers.Add(stored);
                arguments.Add((ArrayView<float>)stored.View);
                arguments.Add(offset);
            }

            var result = _accelerator.Allocate1D<float>(offset + resultLength);
            buffers.Add(result);
            result.MemSetToZero();
            arguments.Add((ArrayView<float>)result.View);
            arguments.Add(offset);
            arguments.Add(scalars.Seed);
            arguments.Add((uint)scalars.DropoutKey);
            arguments.Add((uint)(scalars.DropoutKey >> 32));
            arguments.Add(scalars.DropoutStep);

            _accelerator.LoadKernel(kernel).Launch(_accelerator.DefaultStream, Grid, arguments.ToArray());
            _accelerator.Synchronize();
            return result.View.SubView(offset, resultLength).GetAsArray1D();
        }
        finally
        {
            foreach (var buffer in buffers)
                buffer.Dispose();
        }
    }

    /// <summary>Releases the accelerator and its context.</summary>
    public void Dispose()
    {
        _accelerator.Dispose();
        _context.Dispose();
    }
}
