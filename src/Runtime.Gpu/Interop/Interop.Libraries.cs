namespace Dsl.Interop;

/// <summary>The native libraries the runtime binds to, named in one place.</summary>
internal static partial class Libraries
{
    /// <summary>
    /// The OpenCL ICD loader (Debian's <c>ocl-icd-libopencl1</c>); it dispatches every call to the
    /// vendor driver (PoCL, NVIDIA, ...) that owns the object.
    /// </summary>
    internal const string OpenCl = "libOpenCL.so.1";
}
