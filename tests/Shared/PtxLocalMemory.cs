using System;
using System.Linq;
using System.Text.RegularExpressions;

namespace Dsl.Testing;

/// <summary>
/// Where a kernel's PTX uses the <c>.local</c> state space: per-thread memory that lives off-chip
/// on a GPU (cached in L1 at best). ILGPU puts a kernel's arrays there (<c>LocalMemory.Allocate</c>,
/// <c>new float[n]</c>, a struct indexed by a variable) unless every access has a constant index
/// after its loop unrolling; it declares them as <c>.local .align a .b8 __local_depotN[bytes]</c> and
/// reaches them through <c>ld.local</c>/<c>st.local</c> or <c>cvta.local</c>.
/// </summary>
/// <remarks>Linked into the test projects that compile ILGPU kernels to PTX (<c>tests/Shared/</c>).</remarks>
public static partial class PtxLocalMemory
{
    /// <summary>The lines of <paramref name="ptx"/> that declare, address or access local memory, trimmed; none for register-only code.</summary>
    public static string[] Lines(string ptx) =>
        ptx.Split('\n').Select(line => line.Trim()).Where(line => LocalStateSpace().IsMatch(line)).ToArray();

    /// <summary>
    /// A report of <paramref name="kernel"/>'s local memory for a failing assertion: how many lines
    /// use it and the first few; null where none does.
    /// </summary>
    public static string? Describe(string kernel, string ptx)
    {
        string[] lines = Lines(ptx);
        return lines.Length == 0 ? null : $"{kernel}: {lines.Length} lines use .local, e.g. {string.Join(" | ", lines.Take(3))}";
    }

    // ".local" as a state space: a declaration's first word or part of an instruction (ld.local.f32,
    // st.local.v2.f32, cvta.local.u64); the depot's name (__local_depot0) alone does not match.
    [GeneratedRegex(@"\.local\b", RegexOptions.CultureInvariant)]
    private static partial Regex LocalStateSpace();
}
