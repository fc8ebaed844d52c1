using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Dsl;

namespace Startup;

/// <summary>
/// Reports the SIMD widths this build's kernels run at. Under NativeAOT they are fixed when the app
/// is compiled (the instruction set, <c>IlcInstructionSet</c>), not read from the CPU at start: a
/// build for the default x86-64-v2 reports Vector256 as not accelerated and every GEMM and row
/// kernel runs its 256-bit code emulated, ten times slower or worse.
/// </summary>
internal static class IsaReport
{
    /// <summary>
    /// Prints one line per width, the GEMM micro-kernel and the CPU device's name; returns 1 on an
    /// x64 machine whose CPU has AVX2 and FMA when Vector256 is not accelerated in this build.
    /// </summary>
    public static int Run()
    {
        Console.WriteLine($"Vector128.IsHardwareAccelerated {Vector128.IsHardwareAccelerated}");
        Console.WriteLine($"Vector256.IsHardwareAccelerated {Vector256.IsHardwareAccelerated}");
        Console.WriteLine($"Vector512.IsHardwareAccelerated {Vector512.IsHardwareAccelerated}");
        Console.WriteLine($"Fma.IsSupported {Fma.IsSupported}");
        // Gemm picks its micro-kernel by the same test (Gemm.Use512): 8x32 with AVX-512, else 6x16.
        Console.WriteLine($"GEMM micro-kernel {(Vector512.IsHardwareAccelerated ? "AVX-512 8x32" : "256-bit 6x16")}"
            + (Vector256.IsHardwareAccelerated ? "" : " (emulated: Vector256 is not accelerated)"));
        Console.WriteLine($"device {Device.Cpu.Name}");
        if (RuntimeInformation.ProcessArchitecture == Architecture.X64 && !Vector256.IsHardwareAccelerated
            && CpuHasAvx2AndFma())
        {
            Console.Error.WriteLine("The CPU has AVX2 and FMA but this build does not use them: "
                + "set IlcInstructionSet (x86-64-v3 or higher) for NativeAOT.");
            return 1;
        }
        return 0;
    }

    /// <summary>
    /// Whether the processor itself has AVX2 and FMA, from CPUID (leaf 7 EBX bit 5, leaf 1 ECX bit 12),
    /// which answers the same under NativeAOT whatever instruction set the build targets.
    /// </summary>
    private static bool CpuHasAvx2AndFma()
    {
        if (!X86Base.IsSupported)
            return false;
        (_, int ebx7, _, _) = X86Base.CpuId(7, 0);
        (_, _, int ecx1, _) = X86Base.CpuId(1, 0);
        return (ebx7 & (1 << 5)) != 0 && (ecx1 & (1 << 12)) != 0;
    }
}
