namespace Dsl.Interop;

/// <summary>The native libraries the runtime binds to, named in one place.</summary>
internal static partial class Libraries
{
    /// <summary>
    /// The OpenCL ICD loader (Debian's <c>ocl-icd-libopencl1</c>); it dispatches every call to the
    /// vendor driver (PoCL, NVIDIA, ...) that owns the object.
    /// </summary>
    internal const string OpenCl = "libOpenCL.so.1";

    /// <summary>
    /// Open MPI's C library (Debian's <c>libopenmpi3</c>, pulled in by <c>openmpi-bin</c>). MS-MPI's
    /// bindings (MPI.NET) do not load it, so the runtime binds it directly.
    /// </summary>
    internal const string Mpi = "libmpi.so.40";

    /// <summary>
    /// cuBLAS 12 (NVIDIA's <c>libcublas-12-x</c>), the one ILGPU.Algorithms' <c>CuBlas</c> loads for a
    /// CUDA device (<c>CuBlasAPIVersion.V12</c>); the runtime binds its strided-batched sgemm directly.
    /// </summary>
    internal const string CuBlas = "libcublas.so.12";
}
