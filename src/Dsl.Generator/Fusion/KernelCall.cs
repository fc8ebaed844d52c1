using Dsl.Generator.Common;

namespace Dsl.Generator.Fusion;

/// <summary>
/// One call of a library kernel, planned once for every backend (<see cref="KernelCallPlanner"/>):
/// which kernel, the values it reads and the one it writes, and its sizes in the order of the
/// kernel's parameters (<see cref="KernelId"/> lists them). Values are ids of graph nodes; an
/// emitter resolves them to where they live (<see cref="EntryPlan.Storage"/>). A backend's
/// runtime method per kernel takes the sizes, then the operands, then the result.
/// </summary>
/// <param name="Kernel">The kernel to run.</param>
/// <param name="Node">The node the call computes; its value is the call's result.</param>
/// <param name="Operands">The values the kernel reads, in its parameters' order.</param>
/// <param name="Sizes">The kernel's integer parameters, in order.</param>
/// <param name="TransposeA">A GEMM's first operand is read transposed.</param>
/// <param name="TransposeB">A GEMM's second operand is read transposed.</param>
/// <param name="Weight">A <see cref="KernelId.CrossEntropyBackward"/>'s weight of each row.</param>
/// <param name="Epsilon">The ε a LayerNorm kernel adds to the variance (<see cref="KernelCallPlanner.LayerNormEpsilon"/>).</param>
/// <param name="Epilogue">
/// The fused loop a <see cref="KernelId.Gemm"/> runs on each block of its product, on a backend
/// that <see cref="BackendCapabilities.FusesGemmEpilogues"/>; that loop is then no step of its own.
/// </param>
internal sealed record KernelCall(
    KernelId Kernel,
    int Node,
    EquatableArray<int> Operands,
    EquatableArray<KernelSize> Sizes,
    bool TransposeA = false,
    bool TransposeB = false,
    RowWeight? Weight = null,
    float? Epsilon = null,
    ElementwiseStep? Epilogue = null);
