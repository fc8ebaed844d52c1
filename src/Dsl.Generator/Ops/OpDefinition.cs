using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Autodiff.Rules;
using Dsl.Generator.Checking;
using Dsl.Generator.Emit.Onnx;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Ops;

/// <summary>The type of a node's result from the node (its shape and attributes) and its inputs.</summary>
internal delegate NodeType ShapeRule(Node node, Node[] inputs);

/// <summary>The text of an element-wise op in one dialect, from its operands' texts.</summary>
internal delegate string Render(string[] operands);

/// <summary>
/// The library kernel calls that compute a node of a non-element-wise op, planned once for every
/// backend (<see cref="KernelCallPlanner"/>): usually one, a block copy per part for a concat.
/// </summary>
internal delegate IEnumerable<KernelCall> KernelRule(Graph graph, Node node);

/// <summary>
/// The ONNX nodes (opset 17) that compute a node of the op in an exported forward graph, added
/// through <paramref name="onnx"/>; returns the name of the node's value.
/// </summary>
internal delegate string OnnxRule(OnnxGraphBuilder onnx, Node node);

/// <summary>
/// A linear op applied to one value (a tangent) or its transpose applied to a cotangent: the
/// id of the result, built with the same builder as the forward pass.
/// </summary>
internal delegate int LinearMap(GraphBuilder g, Node node, int value);

/// <summary>
/// Everything the compiler knows about one <see cref="OpKind"/>, in one place (JAX's primitive with
/// its <c>shape_rule</c>, <c>defjvp</c>/<c>deflinear</c> and lowerings; tinygrad's one-line
/// gradient table): how many inputs it takes, its shape rule, its reverse- and forward-mode rules,
/// whether it is linear, element-wise or carries a gradient, its element-wise renderings per
/// dialect, or else the library kernels that compute it. <see cref="OpTable"/> holds one per op;
/// the verifier, the rule look-ups, the element-wise renderers and the kernel-call planner read it.
/// </summary>
internal sealed record OpDefinition(OpKind Op)
{
    /// <summary>The op as the user wrote it, for messages: <c>Add</c> is "'+'", <c>Linear</c> "Dense".</summary>
    public string Display { get; init; } = Op.ToString();

    /// <summary>
    /// The <c>Dsl.Ops</c> method of one tensor argument that lowers to this op alone (<c>Ops.Gelu(x)</c>),
    /// or null when the op is not called by name or its lowering is more than one node (Lowering/OpLowering.cs).
    /// </summary>
    public string? DslName { get; init; }

    /// <summary>The number of inputs, or <see cref="Variadic"/> for Concat and Call.</summary>
    public int Arity { get; init; }

    /// <summary>The <see cref="Arity"/> of an op that takes any number of inputs.</summary>
    public const int Variadic = -1;

    /// <summary>Whether the op is a leaf (an input, parameter, constant or variable): no inputs, no rules.</summary>
    public bool IsLeaf { get; init; }

    /// <summary>The shape rule the verifier checks each node against; null for leaves and the scalar functions' ops (their types come from C#).</summary>
    public ShapeRule? Shape { get; init; }

    /// <summary>The reverse-mode rule; null for leaves.</summary>
    public Vjp? Vjp { get; init; }

    /// <summary>The forward-mode rule; null for leaves.</summary>
    public Jvp? Jvp { get; init; }

    /// <summary>
    /// For a linear op declared with <see cref="Linear"/>: its transpose, from which <see cref="Vjp"/>
    /// was derived (and <see cref="Jvp"/> from the op applied to the tangent).
    /// </summary>
    public LinearMap? Transpose { get; init; }

    /// <summary>Whether the op is computed one element at a time, so fusion may chain it into one loop.</summary>
    public bool IsElementwise { get; init; }

    /// <summary>
    /// False for ops whose output carries no gradient at all (masks, indices, metrics, the causal
    /// mask), so reverse mode does not even ask their inputs for one. Piecewise-constant scalar
    /// functions (Sign, comparisons) have a zero rule instead and keep this true.
    /// </summary>
    public bool CarriesGradient { get; init; } = true;

    /// <summary>The C# scalar <c>float</c> expression, for ops a fused CPU loop computes.</summary>
    public Render? CSharpScalar { get; init; }

    /// <summary>The C# <c>Vector256&lt;float&gt;</c> expression, for ops a fused CPU loop computes.</summary>
    public Render? CSharpVector { get; init; }

    /// <summary>The OpenCL C scalar <c>float</c> expression, for ops a fused device kernel computes.</summary>
    public Render? OpenCl { get; init; }

    /// <summary>
    /// The C# scalar <c>float</c> expression of a fused ILGPU kernel: <see cref="CSharpScalar"/>, the CPU
    /// loop's scalar tail, unless that calls what ILGPU cannot compile (MathF.FusedMultiplyAdd in SimdMath's
    /// tanh and GELU, dropout's DropoutMask), where <see cref="OnIlgpu"/> names the runtime's IlgpuScalarMath.
    /// </summary>
    public Render? Ilgpu { get; init; }

    /// <summary>
    /// Whether <see cref="CSharpScalar"/> and <see cref="CSharpVector"/> give the same bits (IEEE
    /// arithmetic, selections; not the polynomial exp, log, tanh, sigmoid or GELU), so a loop of
    /// such ops may run as a GEMM epilogue, whose blocks split the loop's vectors differently
    /// (<see cref="GemmEpilogues"/>).
    /// </summary>
    public bool RoundsAlike { get; init; }

    /// <summary>
    /// The library kernel calls that compute a node of this op (Fusion/KernelRules.cs holds the
    /// builders and the rules longer than a line); null for leaves, element-wise ops (fused loops)
    /// and the scalar functions' ops.
    /// </summary>
    public KernelRule? Kernel { get; init; }

    /// <summary>
    /// The op's ONNX nodes in an exported forward graph (Emit/Onnx/OnnxRules.cs holds the rules longer
    /// than one operator); null for an op the export does not map, which makes <c>ExportOnnx</c> throw
    /// naming it: the losses and metrics, the ops only derivatives make, the scalar functions' ops.
    /// </summary>
    public OnnxRule? Onnx { get; init; }

    /// <summary>A leaf: no inputs, no shape rule, no derivative rules.</summary>
    public static OpDefinition Leaf(OpKind op) => new(op) { IsLeaf = true };

    /// <summary>An op with its own reverse- and forward-mode rules.</summary>
    public static OpDefinition Of(OpKind op, int arity, ShapeRule? shape, Vjp vjp, Jvp jvp) =>
        new(op) { Arity = arity, Shape = shape, Vjp = vjp, Jvp = jvp };

    /// <summary>
    /// A piecewise-constant op (a mask, a one-hot, a metric): no input gets a cotangent and the
    /// tangent is zero; with <paramref name="carriesGradient"/> false reverse mode skips it altogether.
    /// </summary>
    public static OpDefinition Constant(OpKind op, int arity, ShapeRule? shape, bool carriesGradient) =>
        new(op) { Arity = arity, Shape = shape, Vjp = NoCotangents, Jvp = ZeroTangent, CarriesGradient = carriesGradient };

    /// <summary>
    /// A linear op (JAX's <c>deflinear</c>) in its input <paramref name="operand"/> (the others,
    /// ids or an embedding's table, carry no gradient): <paramref name="apply"/> is the op on
    /// one value, so the tangent is the op applied to the input's tangent; <paramref name="transpose"/>
    /// is its transpose, so the cotangent of the input is the transpose applied to the output's.
    /// </summary>
    public static OpDefinition Linear(OpKind op, int arity, ShapeRule shape, LinearMap apply, LinearMap transpose, int operand = 0) =>
        new(op)
        {
            Arity = arity,
            Shape = shape,
            Transpose = transpose,
            Vjp = (g, node, cotangent) =>
            {
                var cotangents = new int?[node.Inputs.Count];
                cotangents[operand] = transpose(g, node, cotangent);
                return cotangents;
            },
            Jvp = (g, node, tangents) => tangents[operand] is int tangent ? apply(g, node, tangent) : null,
        };

    /// <summary>
    /// This op rendered in every dialect: fused CPU loops (scalar and vector), fused OpenCL kernels
    /// and fused ILGPU kernels (the scalar C#); <paramref name="roundsAlike"/> when the two C# forms give the same bits (<see cref="RoundsAlike"/>).
    /// </summary>
    public OpDefinition Rendered(Render scalar, Render vector, Render openCl, bool roundsAlike) =>
        this with { CSharpScalar = scalar, CSharpVector = vector, OpenCl = openCl, Ilgpu = scalar, RoundsAlike = roundsAlike };

    /// <summary>This op with its own ILGPU rendering, where the C# scalar one calls what ILGPU cannot compile (<see cref="Ilgpu"/>).</summary>
    public OpDefinition OnIlgpu(Render ilgpu) => this with { Ilgpu = ilgpu };

    /// <summary>This op, rendered, and marked element-wise so fusion chains it.</summary>
    public OpDefinition Elementwise(Render scalar, Render vector, Render openCl, bool roundsAlike) =>
        Rendered(scalar, vector, openCl, roundsAlike) with { IsElementwise = true };

    /// <summary>This op computed by the one library kernel call <paramref name="call"/> plans.</summary>
    public OpDefinition WithKernel(Func<Graph, Node, KernelCall> call) =>
        this with { Kernel = (graph, node) => new[] { call(graph, node) } };

    /// <summary>This op computed by the library kernel calls <paramref name="calls"/> plans.</summary>
    public OpDefinition WithKernels(KernelRule calls) => this with { Kernel = calls };

    /// <summary>This op exported as the ONNX operator <paramref name="opType"/> of its inputs, each lined up for broadcasting (element-wise ops).</summary>
    public OpDefinition ToOnnx(string opType) =>
        this with { Onnx = (onnx, node) => onnx.Op(opType, Enumerable.Range(0, node.Inputs.Count).Select(i => onnx.Aligned(node, i))) };

    /// <summary>This op exported by <paramref name="rule"/>.</summary>
    public OpDefinition ToOnnx(OnnxRule rule) => this with { Onnx = rule };

    private static int?[] NoCotangents(GraphBuilder g, Node node, int cotangent) => new int?[node.Inputs.Count];

    private static int? ZeroTangent(GraphBuilder g, Node node, int?[] tangents) => null;

    /// <summary>The rendering of <paramref name="dialect"/>, or an error naming the op that has none.</summary>
    public static string RequireRendering(OpKind op, Render? dialect, string[] operands) =>
        dialect is null ? throw new ArgumentOutOfRangeException(nameof(op), op, "not an element-wise op") : dialect(operands);
}
