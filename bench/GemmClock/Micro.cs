using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
static unsafe class Micro
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void K8x32(int kc, float* a, nint aStep, float* b, float* c, nint ldc)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++, a += aStep, b += 32)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> x = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
        }
        St(c, c00, c01); St(c + ldc, c10, c11); St(c + 2 * ldc, c20, c21); St(c + 3 * ldc, c30, c31);
        St(c + 4 * ldc, c40, c41); St(c + 5 * ldc, c50, c51); St(c + 6 * ldc, c60, c61); St(c + 7 * ldc, c70, c71);
    }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void K12x32(int kc, float* a, nint aStep, float* b, float* c, nint ldc)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        Vector512<float> c80 = default, c81 = default, c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        for (int p = 0; p < kc; p++, a += aStep, b += 32)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> x = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            x = Vector512.Create(a[8]); c80 = Vector512.FusedMultiplyAdd(x, b0, c80); c81 = Vector512.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(a[9]); c90 = Vector512.FusedMultiplyAdd(x, b0, c90); c91 = Vector512.FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(a[10]); ca0 = Vector512.FusedMultiplyAdd(x, b0, ca0); ca1 = Vector512.FusedMultiplyAdd(x, b1, ca1);
            x = Vector512.Create(a[11]); cb0 = Vector512.FusedMultiplyAdd(x, b0, cb0); cb1 = Vector512.FusedMultiplyAdd(x, b1, cb1);
        }
        St(c, c00, c01); St(c + ldc, c10, c11); St(c + 2 * ldc, c20, c21); St(c + 3 * ldc, c30, c31);
        St(c + 4 * ldc, c40, c41); St(c + 5 * ldc, c50, c51); St(c + 6 * ldc, c60, c61); St(c + 7 * ldc, c70, c71);
        St(c + 8 * ldc, c80, c81); St(c + 9 * ldc, c90, c91); St(c + 10 * ldc, ca0, ca1); St(c + 11 * ldc, cb0, cb1);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void St(float* r, Vector512<float> a, Vector512<float> b) { (a + Vector512.Load(r)).Store(r); (b + Vector512.Load(r + 16)).Store(r + 16); }

    public static void Run(int kc)
    {
        float* a = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(64 * 1024, 64);
        float* b = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(64 * 1024, 64);
        float* c = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(64 * 1024, 64);
        for (int i = 0; i < 16 * 1024; i++) { a[i] = 1e-6f; b[i] = 1e-6f; c[i] = 0; }
        for (int round = 0; round < 4; round++)
        {
            double b8 = 0, b12 = 0, pk = 0;
            for (int s = 0; s < 20; s++)
            {
                double t0 = Clock.Now(); int reps = 20000;
                for (int r = 0; r < reps; r++) K8x32(kc, a, 8, b, c, 32);
                b8 = Math.Max(b8, 2.0 * 8 * 32 * kc * reps / (Clock.Now() - t0) / 1e9);
                t0 = Clock.Now(); float sink = P.Run512Pub(1 << 14); pk = Math.Max(pk, 2.0 * (1 << 14) * 12 * 16 / (Clock.Now() - t0) / 1e9); if (sink == 42) Console.Write("");
                t0 = Clock.Now();
                for (int r = 0; r < reps; r++) K12x32(kc, a, 12, b, c, 32);
                b12 = Math.Max(b12, 2.0 * 12 * 32 * kc * reps / (Clock.Now() - t0) / 1e9);
            }
            Console.WriteLine($"kc={kc} probe {pk:F1} micro in L1 best: 8x32 {b8:F1}  12x32 {b12:F1} GFLOP/s");
        }
    }
}
