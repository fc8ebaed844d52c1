using System;
using Dsl.Generator.Autodiff.Rules;
using Dsl.Generator.Checking;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Emit.Onnx;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Ops;

// The element-wise ops: shape rule, derivative rules and the three renderings side by side (the fused
// ILGPU kernels take the C# scalar one, or OnIlgpu's where ILGPU cannot compile it). In the
// C# vector column, V is Vector256; OpenCL C uses the 1.2 built-ins in full precision (no native_
// or half_ variants, no double); roundsAlike says whether the scalar and vector C# give the same
// bits (exp, log, tanh, sigmoid and GELU round differently in vector form), which a loop run as a
// GEMM epilogue needs. Unary rules write y = f(x), x̄ = ȳ·f'(x) (with y where cheaper),
// and the JVP is the same derivative times the tangent. A scalar operand of a binary op that
// broadcast gets its cotangent summed back by ReverseMode.Unbroadcast, so no rule here thinks about shapes.
// The ONNX column names the opset-17 operator (operands lined up for numpy broadcasting) or a rule
// of Emit/Onnx/OnnxRules.cs; dropout exports as evaluation's identity (nn.Dropout in eval()).
internal static partial class OpTable
{
    private const string V = TypeNames.Vector256;
    private const string Simd = TypeNames.SimdMath;
    private const string MathF = TypeNames.MathF;
    private const string IlgpuMath = TypeNames.IlgpuScalarMath;

    // Methods, not delegate fields: the partial class's fields initialise in an unspecified order
    // across its files, and the table is built in one of those initialisers.
    private static NodeType UnaryShape(Node y, Node[] x) => ShapeRules.Unary(y.Op, x[0]);

    private static NodeType BinaryShape(Node y, Node[] x) => ShapeRules.Binary(y.Op, x[0], x[1]);

    private static OpDefinition[] Elementwise() => new[]
    {
        // −x is its own transpose.
        OpDefinition.Linear(OpKind.Negate, 1, UnaryShape, apply: (g, y, d) => g.Negate(d), transpose: (g, y, d) => g.Negate(d))
            .Elementwise(a => $"-{a[0]}", a => $"-{a[0]}", a => NegateOpenCl(a[0]), roundsAlike: true)
            .ToOnnx("Neg"),

        // y = eˣ: x̄ = ȳ·y.
        Unary(OpKind.Exp, "Exp", (g, y) => y.Id)
            .Elementwise(a => $"{MathF}.Exp({a[0]})", a => $"{Simd}.Exp({a[0]})", a => $"exp({a[0]})", roundsAlike: false)
            .ToOnnx("Exp"),

        // y = ln x: x̄ = ȳ / x (a quotient, not a product, so written out).
        (OpDefinition.Of(OpKind.Log, 1, UnaryShape,
                (g, y, dy) => new int?[] { g.Divide(dy, y.Inputs[0]) },
                (g, y, t) => JvpRules.Map(t[0], d => g.Divide(d, y.Inputs[0]))) with { DslName = "Log" })
            .Elementwise(a => $"{MathF}.Log({a[0]})", a => $"{V}.Log({a[0]})", a => $"log({a[0]})", roundsAlike: false)
            .ToOnnx("Log"),

        // y = tanh x: x̄ = ȳ·(1 − y²).
        Unary(OpKind.Tanh, "Tanh", (g, y) => g.Subtract(g.Constant(1), g.Multiply(y.Id, y.Id)))
            .Elementwise(a => $"{Simd}.Tanh({a[0]})", a => $"{Simd}.Tanh({a[0]})", a => $"tanh({a[0]})", roundsAlike: false)
            .ToOnnx("Tanh")
            .OnIlgpu(a => $"{IlgpuMath}.Tanh({a[0]})"),

        // y = σ(x): x̄ = ȳ·y·(1 − y).
        Unary(OpKind.Sigmoid, "Sigmoid", (g, y) => g.Multiply(y.Id, g.Subtract(g.Constant(1), y.Id)))
            .Elementwise(a => $"{Simd}.Sigmoid({a[0]})", a => $"{Simd}.Sigmoid({a[0]})", a => $"1.0f / (1.0f + exp({NegateOpenCl(a[0])}))", roundsAlike: false)
            .ToOnnx("Sigmoid"),

        // y = max(x, 0): x̄ = ȳ·[y > 0], which is [x > 0] (PyTorch's choice of 0 at x = 0). Reading
        // the mask off the output, as PyTorch does, leaves x with one use, so x's producer fuses
        // with the ReLU and x is never stored.
        Unary(OpKind.Relu, "Relu", (g, y) => g.Unary(OpKind.Step, y.Id))
            .Elementwise(a => $"{a[0]} > 0f ? {a[0]} : 0f", a => $"{V}.Max({a[0]}, {V}<float>.Zero)", a => $"{a[0]} > 0.0f ? {a[0]} : 0.0f", roundsAlike: true)
            .ToOnnx("Relu"),

        // y = x·Φ(x): x̄ = ȳ·(Φ(x) + x·φ(x)).
        Unary(OpKind.Gelu, "Gelu", (g, y) => g.Unary(OpKind.GeluDerivative, y.Inputs[0]))
            .Elementwise(a => $"{Simd}.Gelu({a[0]})", a => $"{Simd}.Gelu({a[0]})", a => $"dsl_gelu({a[0]})", roundsAlike: false)
            .ToOnnx(OnnxRules.Gelu)
            .OnIlgpu(a => $"{IlgpuMath}.Gelu({a[0]})"),

        // y = √x: x̄ = ȳ·0.5/y.
        Unary(OpKind.SquareRoot, "Sqrt", (g, y) => g.Divide(g.Constant(0.5), y.Id))
            .Elementwise(a => $"{MathF}.Sqrt({a[0]})", a => $"{V}.Sqrt({a[0]})", a => $"sqrt({a[0]})", roundsAlike: true)
            .ToOnnx("Sqrt"),

        // y = 1/√x: x̄ = ȳ·(−0.5·y³). Both C# forms are IEEE division of an IEEE square root, so they
        // round alike; OpenCL writes the same (not rsqrt, which may be a few ulp off).
        Unary(OpKind.Rsqrt, "Rsqrt", (g, y) => g.Multiply(g.Constant(-0.5), g.Multiply(y.Id, g.Multiply(y.Id, y.Id))))
            .Elementwise(a => $"1f / {MathF}.Sqrt({a[0]})", a => $"{V}<float>.One / {V}.Sqrt({a[0]})", a => $"1.0f / sqrt({a[0]})", roundsAlike: true)
            .ToOnnx(OnnxRules.Rsqrt),

        // y = |x|: x̄ = ȳ·sign(x), 0 at x = 0 as PyTorch.
        Unary(OpKind.Absolute, "Abs", (g, y) => g.Unary(OpKind.Signum, y.Inputs[0]))
            .Elementwise(a => $"{MathF}.Abs({a[0]})", a => $"{V}.Abs({a[0]})", a => $"fabs({a[0]})", roundsAlike: true)
            .ToOnnx("Abs"),

        // d Abs / dx: carries no gradient. NaN gives 0 in all three forms (OpenCL's sign gives 0 for NaN too).
        OpDefinition.Constant(OpKind.Signum, 1, UnaryShape, carriesGradient: false)
            .Elementwise(a => $"{a[0]} > 0f ? 1f : {a[0]} < 0f ? -1f : 0f",
                a => $"{V}.ConditionalSelect({V}.GreaterThan({a[0]}, {V}<float>.Zero), {V}<float>.One, {V}.ConditionalSelect({V}.LessThan({a[0]}, {V}<float>.Zero), -{V}<float>.One, {V}<float>.Zero))",
                a => $"{a[0]} > 0.0f ? 1.0f : {a[0]} < 0.0f ? -1.0f : 0.0f", roundsAlike: true)
            .ToOnnx("Sign"),

        // d Relu / dx, a mask: carries no gradient.
        OpDefinition.Constant(OpKind.Step, 1, UnaryShape, carriesGradient: false)
            .Elementwise(a => $"{a[0]} > 0f ? 1f : 0f",
                a => $"{V}.ConditionalSelect({V}.GreaterThan({a[0]}, {V}<float>.Zero), {V}<float>.One, {V}<float>.Zero)",
                a => $"{a[0]} > 0.0f ? 1.0f : 0.0f", roundsAlike: true)
            .ToOnnx(OnnxRules.Step),

        // y = Φ(x) + x·φ(x): x̄ = ȳ·φ(x)·(2 − x²).
        Unary(OpKind.GeluDerivative, null, (g, y) => GeluSecondDerivative(g, y.Inputs[0]))
            .Elementwise(a => $"{Simd}.GeluDerivative({a[0]})", a => $"{Simd}.GeluDerivative({a[0]})", a => $"dsl_gelu_derivative({a[0]})", roundsAlike: false)
            .OnIlgpu(a => $"{IlgpuMath}.GeluDerivative({a[0]})"),

        // y = Φ(x): x̄ = ȳ·φ(x), φ(x) = e^(−x²/2)/√(2π). GELU's factor in a training step.
        Unary(OpKind.NormalCdf, null, (g, y) => NormalDensity(g, y.Inputs[0]))
            .Elementwise(a => $"{Simd}.NormalCdf({a[0]})", a => $"{Simd}.NormalCdf({a[0]})", a => $"dsl_normal_cdf({a[0]})", roundsAlike: false)
            .OnIlgpu(a => $"{IlgpuMath}.NormalCdf({a[0]})"),

        // y = a + b: ā = ȳ, b̄ = ȳ.
        Binary(OpKind.Add, "'+'",
                (g, y, dy) => new int?[] { dy, dy },
                (g, y, t) => JvpRules.Sum(g, t[0], t[1]))
            .Elementwise(a => $"{a[0]} + {a[1]}", a => $"{a[0]} + {a[1]}", a => $"{a[0]} + {a[1]}", roundsAlike: true)
            .ToOnnx("Add"),

        // y = a − b: ā = ȳ, b̄ = −ȳ.
        Binary(OpKind.Subtract, "'-'",
                (g, y, dy) => new int?[] { dy, g.Negate(dy) },
                (g, y, t) => JvpRules.Sum(g, t[0], JvpRules.Map(t[1], d => g.Negate(d))))
            .Elementwise(a => $"{a[0]} - {a[1]}", a => $"{a[0]} - {a[1]}", a => $"{a[0]} - {a[1]}", roundsAlike: true)
            .ToOnnx("Sub"),

        // y = a·b: ā = ȳ·b, b̄ = ȳ·a; (ab)˙ = ȧ·b + a·ḃ.
        Binary(OpKind.Multiply, "'*'",
                (g, y, dy) => new int?[] { g.Multiply(dy, y.Inputs[1]), g.Multiply(dy, y.Inputs[0]) },
                (g, y, t) => JvpRules.Sum(g, JvpRules.Map(t[0], d => g.Multiply(d, y.Inputs[1])), JvpRules.Map(t[1], d => g.Multiply(y.Inputs[0], d))))
            .Elementwise(a => $"{a[0]} * {a[1]}", a => $"{a[0]} * {a[1]}", a => $"{a[0]} * {a[1]}", roundsAlike: true)
            .ToOnnx("Mul"),

        // y = a / b: ā = ȳ / b, b̄ = −ȳ·y / b; (a/b)˙ = ȧ/b − y·ḃ/b.
        Binary(OpKind.Divide, "'/'",
                (g, y, dy) => new int?[] { g.Divide(dy, y.Inputs[1]), g.Negate(g.Divide(g.Multiply(dy, y.Id), y.Inputs[1])) },
                (g, y, t) => JvpRules.Sum(g, JvpRules.Map(t[0], d => g.Divide(d, y.Inputs[1])),
                    JvpRules.Map(t[1], d => g.Negate(g.Divide(g.Multiply(y.Id, d), y.Inputs[1])))))
            .Elementwise(a => $"{a[0]} / {a[1]}", a => $"{a[0]} / {a[1]}", a => $"{a[0]} / {a[1]}", roundsAlike: true)
            .ToOnnx("Div"),

        // y = max(a, b): ā = ȳ·m, b̄ = ȳ·(1 − m) with m = 1 where a > b, 0 where a < b and ½ at a tie
        // (torch.maximum's split); ẏ = m·ȧ + (1 − m)·ḃ.
        Binary(OpKind.Maximum, "Maximum",
                (g, y, dy) => SelectVjp(g, y, dy, larger: true),
                (g, y, t) => SelectJvp(g, y, t, larger: true))
            .Elementwise(a => $"{MathF}.Max({a[0]}, {a[1]})", a => $"{V}.Max({a[0]}, {a[1]})", a => $"fmax({a[0]}, {a[1]})", roundsAlike: true)
            .ToOnnx("Max"),

        // y = min(a, b): as Maximum with the roles of a and b exchanged.
        Binary(OpKind.Minimum, "Minimum",
                (g, y, dy) => SelectVjp(g, y, dy, larger: false),
                (g, y, t) => SelectJvp(g, y, t, larger: false))
            .Elementwise(a => $"{MathF}.Min({a[0]}, {a[1]})", a => $"{V}.Min({a[0]}, {a[1]})", a => $"fmin({a[0]}, {a[1]})", roundsAlike: true)
            .ToOnnx("Min"),

        // A scalar repeated: the transpose of Sum. The loop reads the scalar at every element.
        OpDefinition.Linear(OpKind.Broadcast, 1, (y, x) => ShapeRules.Broadcast(x[0], y.Shape),
                apply: (g, y, d) => g.Broadcast(d, y.Shape), transpose: (g, y, d) => g.Sum(d))
            .Elementwise(a => a[0], a => a[0], a => a[0], roundsAlike: true)
            .ToOnnx(OnnxRules.Broadcast),

        // torch.where; the condition carries no gradient (rules in Autodiff/Rules/Where.cs).
        OpDefinition.Of(OpKind.Where, 3, (y, x) => ShapeRules.Where(x[0], x[1], x[2]), VjpRules.Where, JvpRules.Where)
            .Elementwise(a => $"{a[0]} != 0f ? {a[1]} : {a[2]}",
                a => $"{V}.ConditionalSelect({V}.Equals({a[0]}, {V}<float>.Zero), {a[2]}, {a[1]})",
                a => $"{a[0]} != 0.0f ? {a[1]} : {a[2]}", roundsAlike: true)
            .ToOnnx(OnnxRules.Where),

        // x · m / (1 − p) with m a fixed mask of the (seed, site, step) stream: a diagonal linear
        // map, its own transpose. The derived node keeps the forward's p and site, so it recomputes
        // the mask rather than storing it. Operands: C# (x, the site's DropoutMask local, the
        // element's stream position); OpenCL and ILGPU (x, then dsl_dropout's or IlgpuScalarMath.Dropout's
        // position, site, step, seed, threshold and scale arguments).
        OpDefinition.Linear(OpKind.Dropout, 1, UnaryShape, apply: Dropout, transpose: Dropout)
            .Elementwise(a => $"{a[1]}.Apply({a[0]}, {a[2]})", a => $"{a[1]}.Apply({a[0]}, {a[2]})", a => $"dsl_dropout({string.Join(", ", a)})", roundsAlike: true)
            .ToOnnx((onnx, y) => onnx.Value(y.Inputs[0]))
            .OnIlgpu(a => $"{IlgpuMath}.Dropout({string.Join(", ", a)})"),
    };

    /// <summary>
    /// An element-wise unary op, called <c>Ops.</c><paramref name="dslName"/> when not null, whose derivative is a product: x̄ = ȳ·f'(x) and ẏ = f'(x)·ẋ, with
    /// <paramref name="derivative"/> building f'(x) (from x or y) once per use.
    /// </summary>
    private static OpDefinition Unary(OpKind op, string? dslName, Func<GraphBuilder, Node, int> derivative) =>
        OpDefinition.Of(op, 1, UnaryShape,
            (g, y, dy) => new int?[] { g.Multiply(dy, derivative(g, y)) },
            (g, y, t) => JvpRules.Map(t[0], d => g.Multiply(d, derivative(g, y)))) with { DslName = dslName };

    /// <summary>An element-wise binary op, written as an operator (<paramref name="display"/>, for messages).</summary>
    private static OpDefinition Binary(OpKind op, string display, Vjp vjp, Jvp jvp) =>
        OpDefinition.Of(op, 2, BinaryShape, vjp, jvp) with { Display = display };

    /// <summary>
    /// Maximum's (or Minimum's) mask of the first operand: ½·(1 + [a &gt; b] − [b &gt; a]), which is 1
    /// where a wins, 0 where b wins and ½ at a tie. Built from Step, so it carries no gradient.
    /// </summary>
    private static int SelectMask(GraphBuilder g, Node y, bool larger)
    {
        int a = y.Inputs[0], b = y.Inputs[1];
        int aWins = g.Unary(OpKind.Step, larger ? g.Subtract(a, b) : g.Subtract(b, a));
        int bWins = g.Unary(OpKind.Step, larger ? g.Subtract(b, a) : g.Subtract(a, b));
        return g.Multiply(g.Constant(0.5), g.Add(g.Constant(1), g.Subtract(aWins, bWins)));
    }

    private static int?[] SelectVjp(GraphBuilder g, Node y, int dy, bool larger)
    {
        int m = SelectMask(g, y, larger);
        return new int?[] { g.Multiply(dy, m), g.Multiply(dy, g.Subtract(g.Constant(1), m)) };
    }

    private static int? SelectJvp(GraphBuilder g, Node y, int?[] t, bool larger)
    {
        int m = SelectMask(g, y, larger);
        return JvpRules.Sum(g, JvpRules.Map(t[0], d => g.Multiply(m, d)), JvpRules.Map(t[1], d => g.Multiply(g.Subtract(g.Constant(1), m), d)));
    }

    /// <summary>φ(x)·(2 − x²), with φ(x) = e^(−x²/2)/√(2π): the derivative of GeluDerivative.</summary>
    private static int GeluSecondDerivative(GraphBuilder g, int x)
    {
        int squared = g.Multiply(x, x);
        int density = g.Multiply(g.Unary(OpKind.Exp, g.Multiply(squared, g.Constant(-0.5))), g.Constant(OpConstants.InverseSqrtTwoPi));
        return g.Multiply(density, g.Subtract(g.Constant(2), squared));
    }

    /// <summary>φ(x) = e^(−x²/2)/√(2π): the derivative of <see cref="OpKind.NormalCdf"/>.</summary>
    private static int NormalDensity(GraphBuilder g, int x) =>
        g.Multiply(g.Unary(OpKind.Exp, g.Multiply(g.Multiply(x, x), g.Constant(-0.5))), g.Constant(OpConstants.InverseSqrtTwoPi));

    /// <summary>The same dropout (p and site) applied to a tangent or cotangent.</summary>
    private static int Dropout(GraphBuilder g, Node y, int d) =>
        g.Dropout(d, y.Constant, int.Parse(y.Name!, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Operands are locals or literals; a negative literal is parenthesised so "-" never becomes "--".</summary>
    private static string NegateOpenCl(string operand) =>
        operand.StartsWith("-", StringComparison.Ordinal) ? $"-({operand})" : "-" + operand;
}
