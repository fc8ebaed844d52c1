using System.Collections.Generic;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Emit;

/// <summary>
/// How one device language spells a fused element-wise kernel (<see cref="OpenCl.FusedKernelTable"/>
/// writes the kernel once, in every dialect): its signature, its locals, its literals and each op's
/// scalar expression from the op table. OpenCL C and ILGPU's C# today.
/// </summary>
internal abstract class FusedKernelDialect
{
    /// <summary>
    /// The kernel's signature, up to the line before its body: the runtime's uniform arguments
    /// (<c>Dsl.FusedKernelSources</c>): the count, each array <c>a{n}</c> with its offset <c>o{n}</c>,
    /// each result <c>r{n}</c> and <c>o{n}</c> (the stored values, then the root; n a local number,
    /// <see cref="LocalNames"/>), the loss seed <c>seed</c> and the dropout key and step
    /// (<see cref="DropoutKeyLow"/>, <see cref="DropoutKeyHigh"/>, <see cref="DropoutStep"/>).
    /// </summary>
    public abstract string Signature(string name, IEnumerable<string> arrays, IEnumerable<string> results);

    /// <summary>
    /// Opens the body's work over the elements below <c>count</c>, naming each <c>gid</c>: one element
    /// per work-item (OpenCL) or a grid-stride loop (ILGPU). <see cref="CloseElements"/> closes it.
    /// </summary>
    public abstract void OpenElements(SourceWriter w);

    /// <summary>Closes what <see cref="OpenElements"/> opened.</summary>
    public abstract void CloseElements(SourceWriter w);

    /// <summary>A local that is never reassigned: <c>const float x0 = …;</c> in OpenCL C.</summary>
    public abstract string Local(string type, string name, string value);

    /// <summary>The scalar expression of <paramref name="op"/>, from the op table's column of this dialect.</summary>
    public abstract string Scalar(OpKind op, string[] operands);

    /// <summary>A float literal.</summary>
    public abstract string Float(double value);

    /// <summary>The argument holding the low 32 bits of the dropout key.</summary>
    public abstract string DropoutKeyLow { get; }

    /// <summary>The argument holding the high 32 bits of the dropout key.</summary>
    public abstract string DropoutKeyHigh { get; }

    /// <summary>The argument holding the dropout step.</summary>
    public abstract string DropoutStep { get; }
}
