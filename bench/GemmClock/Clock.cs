using System.Runtime.InteropServices;
static class Clock
{
    [StructLayout(LayoutKind.Sequential)] struct Ts { public long Sec, Nsec; }
    [DllImport("libc")] static extern int clock_gettime(int id, out Ts ts);
    // CLOCK_THREAD_CPUTIME_ID: time this thread actually ran (the machine is shared)
    public static double Now() { clock_gettime(3, out var t); return t.Sec + t.Nsec * 1e-9; }
    // CLOCK_PROCESS_CPUTIME_ID: all the process's threads, the pool's workers included
    public static double Process() { clock_gettime(2, out var t); return t.Sec + t.Nsec * 1e-9; }
}
