namespace Dsl.Generator.Ir;

/// <summary>
/// Every operation of the tensor IR, one catalogue in sections (after tinygrad's <c>Ops</c>).
/// Shapes are per example; <see cref="Node.Batched"/> says whether a value also varies over the
/// batch. Each op's derivative rule lives in <c>Autodiff/Rules</c>, its CPU emission in
/// <c>Emit/CSharp</c>; <see cref="OpGroups"/> classifies them.
/// </summary>
internal enum OpKind
{
    // ---- Leaves ----

    /// <summary>A float input of the program, one per example (e.g. <c>x</c>).</summary>
    Input,

    /// <summary>An int class index per example (a <c>Label</c> parameter).</summary>
    LabelInput,

    /// <summary>A trainable parameter, a view of the flat parameter buffer; not batched.</summary>
    Parameter,

    /// <summary>A scalar compile-time constant.</summary>
    Constant,

    /// <summary>The cotangent seeded into the loss: 1/B for a batch mean, per example.</summary>
    LossSeed,

    // ---- Element-wise unary ----

    Negate,
    Exp,
    Log,
    Tanh,
    Sigmoid,
    Relu,
    Gelu,

    /// <summary>d Relu / dx: 1 where x &gt; 0, else 0.</summary>
    Step,

    /// <summary>d Gelu / dx = Φ(x) + x·φ(x).</summary>
    GeluDerivative,

    // ---- Element-wise binary (same shape, or one side a scalar that broadcasts) ----

    Add,
    Subtract,
    Multiply,
    Divide,

    // ---- Movement ----

    /// <summary>A per-example scalar repeated to this node's shape.</summary>
    Broadcast,

    // ---- Reductions ----

    /// <summary>The sum of all of an example's elements: a scalar.</summary>
    Sum,

    /// <summary>The sum over the batch: turns a batched value into an unbatched one (how parameter gradients reduce).</summary>
    BatchSum,

    // ---- Linear algebra (each a GEMM over the batch) ----

    /// <summary><c>y[o] = Σ_i W[o,i]·x[i]</c>: inputs (W, x). A batch is <c>X·Wᵀ</c>.</summary>
    Linear,

    /// <summary><c>y[i] = Σ_o W[o,i]·g[o]</c>: inputs (W, g). A batch is <c>G·W</c>.</summary>
    LinearTranspose,

    /// <summary><c>y[o,i] = Σ_batch a[o]·b[i]</c>: inputs (a, b); the result is unbatched. A batch is <c>Aᵀ·B</c>.</summary>
    OuterBatchSum,

    // ---- Row-wise (over the last axis of one example) ----

    Softmax,
    LogSoftmax,

    /// <summary>logsumexp(logits) − logits[label]: inputs (logits, label).</summary>
    CrossEntropy,

    /// <summary>A one-hot vector of this node's length: input (label).</summary>
    OneHot,

    /// <summary>1 if the first argmax of logits equals the label, else 0: inputs (logits, label).</summary>
    Accuracy,

    // ---- Scalar functions (the [Differentiable] functions of Dsl's JAX-style transforms) ----

    /// <summary>The current value of a named scalar variable of a function (a parameter, local or loop index).</summary>
    Variable,

    /// <summary>An element of a named array: input (index).</summary>
    Load,

    /// <summary>The length of a named array (an int).</summary>
    Length,

    /// <summary>A conversion to this node's element type (int to double, float to double, ...).</summary>
    Convert,

    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Sqrt,
    Abs,
    Log10,

    /// <summary>Piecewise-constant functions: Sign, Floor, Ceiling, Round; their derivative is zero.</summary>
    Sign,
    Floor,
    Ceiling,
    Round,

    Pow,
    Atan2,
    Max,
    Min,

    /// <summary>The integer remainder <c>a % b</c>.</summary>
    Remainder,

    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Equal,
    NotEqual,
    And,
    Or,
    Not,

    /// <summary><c>c ? a : b</c>: inputs (c, a, b).</summary>
    Select,

    /// <summary>
    /// A call of a user function with custom derivative rules (a <c>CustomRule</c>), always the
    /// whole value of a declaration: <see cref="Node.Name"/> is the function, the inputs its arguments.
    /// </summary>
    Call,
}
