using System;

namespace Dsl;

/// <summary>
/// A program's fused element-wise kernels on an OpenCL device: its OpenCL C source after
/// <see cref="OpenClKernels.FusedPrelude"/>, built once per device and source (the device caches
/// programs), one kernel object per fused kernel, owned by the program that built them.
/// </summary>
internal sealed class OpenClFusedKernels : FusedKernels
{
    /// <summary>Work-items per group (the global size is rounded up to it; the kernels skip the work-items past the end).</summary>
    private const int Group = 64;

    private readonly OpenClKernel[] _kernels;

    /// <summary>Builds <paramref name="sources"/>' OpenCL C on <paramref name="device"/>.</summary>
    public OpenClFusedKernels(OpenClDevice device, FusedKernelSources sources)
        : base(device, sources)
    {
        string text = sources.OpenClC ?? throw new NotSupportedException($"{sources.Name} carries no OpenCL C kernels for {device.Name}.");
        _kernels = new OpenClKernel[sources.KernelNames.Count];
        if (_kernels.Length == 0)
            return;
        OpenClProgram program = device.GetProgram(OpenClKernels.FusedPrelude + "\n\n" + text, sources.Name);
        try
        {
            for (int i = 0; i < _kernels.Length; i++)
                _kernels[i] = program.CreateKernel(sources.KernelNames[i]);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    protected override void LaunchCore(int kernel, int count, FusedScalars scalars, ReadOnlySpan<DeviceSlice> operands)
    {
        OpenClKernel k = _kernels[kernel];
        int index = 0;
        k.SetArg(index++, count);
        foreach (DeviceSlice operand in operands)
        {
            k.SetArg(index++, (OpenClBuffer)operand.Buffer);
            k.SetArg(index++, operand.Offset);
        }

        k.SetArg(index++, scalars.Seed);
        // The kernels take the key's halves and the step as uints: the same bits.
        k.SetArg(index++, unchecked((int)(uint)scalars.DropoutKey));
        k.SetArg(index++, unchecked((int)(uint)(scalars.DropoutKey >> 32)));
        k.SetArg(index, unchecked((int)scalars.DropoutStep));
        k.Launch(checked((count + Group - 1) / Group * Group));
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (OpenClKernel kernel in _kernels)
                kernel?.Dispose();
        }

        base.Dispose(disposing);
    }
}
