namespace Dsl.Generator.Diagnostics;

/// <summary>
/// The one catalogue of the generator's diagnostics. IDs are numbered by stage: parse 00xx,
/// shape 01xx, autodiff 02xx, backend 03xx, internal 9999. Each ID has a page at
/// <c>docs/diagnostics/DSLxxxx.md</c> and a test in <c>DiagnosticsTests</c>.
/// </summary>
/// <remarks>
/// The descriptors are plain records (no Roslyn types) so the Roslyn-free compiler core can report
/// them; <see cref="RoslynDiagnostics"/> turns them into <c>Microsoft.CodeAnalysis.Diagnostic</c>s.
/// </remarks>
internal static class DiagnosticDescriptors
{
    private const string Parse = "Dsl.Parse";
    private const string Shape = "Dsl.Shape";
    private const string Autodiff = "Dsl.Autodiff";
    private const string Internal = "Dsl.Internal";

    // ---- Parse: the model's structure (00xx) ----

    public static readonly DslDiagnosticDescriptor ModelNotPartial = new(
        "DSL0001", "Model class must be partial",
        "The [Model] class '{0}' must be declared 'partial' so the generator can add its compiled program",
        Parse);

    public static readonly DslDiagnosticDescriptor MissingForward = new(
        "DSL0002", "Model has no [Forward] method",
        "The [Model] class '{0}' has no method marked [Forward]; add one that maps one example's inputs to its outputs",
        Parse);

    public static readonly DslDiagnosticDescriptor BadLayerSignature = new(
        "DSL0003", "Layer method has the wrong signature",
        "Layer '{0}' must be declared as 'partial Tensor {0}({2});' without a body: {1}",
        Parse);

    public static readonly DslDiagnosticDescriptor UnsupportedCall = new(
        "DSL0004", "Call not supported in a model",
        "'{0}' cannot be compiled: a model method may call Dsl.Ops, its own layers and its own model methods, and Math or MathF functions of compile-time constants (folded)",
        Parse);

    public static readonly DslDiagnosticDescriptor UnsupportedSyntax = new(
        "DSL0005", "Statement or expression not supported in a model",
        "{0} is not supported in a model method; {1}",
        Parse);

    /// <summary>DSL0005's advice when nothing more specific fits the construct.</summary>
    public const string UnsupportedSyntaxAdvice =
        "use locals, assignments, returns, calls, + - * / over Tensor, and for, if and ?: on compile-time constants";

    public static readonly DslDiagnosticDescriptor InvalidDimension = new(
        "DSL0006", "Dimension must be a positive constant",
        "Dimension {0} of '{1}' must be a positive compile-time constant",
        Parse);

    public static readonly DslDiagnosticDescriptor MissingShape = new(
        "DSL0007", "Input shape unknown",
        "The shape of Tensor parameter '{0}' is unknown: mark it [Shape(...)] or pass it straight to a method whose parameter has one",
        Parse);

    public static readonly DslDiagnosticDescriptor NestedModel = new(
        "DSL0008", "Model class is nested in a type the generator cannot extend",
        "The [Model] class '{0}' is nested in '{1}', which must then be a non-generic 'partial class' too",
        Parse);

    public static readonly DslDiagnosticDescriptor RecursiveCall = new(
        "DSL0009", "Model methods must not recurse",
        "Model method '{0}' calls itself through '{1}'; model methods are inlined and cannot recurse",
        Parse);

    public static readonly DslDiagnosticDescriptor UnusedLayer = new(
        "DSL0010", "Layer is never used",
        "Layer '{0}' is never called from a [Forward] or step method, so its input size is unknown and it gets no parameters",
        Parse, IsWarning: true);

    public static readonly DslDiagnosticDescriptor MissingOptimizer = new(
        "DSL0011", "Model has a [TrainingStep] but no [Optimizer]",
        "The [Model] class '{0}' has a [TrainingStep] but no [Optimizer]; add 'private static Optimizer Optimizer() => new Adam(1e-3f);'",
        Parse);

    public static readonly DslDiagnosticDescriptor BadMethodSignature = new(
        "DSL0012", "Model method has the wrong signature",
        "[{0}] method '{1}' {2}",
        Parse);

    public static readonly DslDiagnosticDescriptor UnknownVariable = new(
        "DSL0013", "Variable has no value",
        "'{0}' is not a parameter or an assigned local of this method",
        Parse);

    public static readonly DslDiagnosticDescriptor UnsupportedModelType = new(
        "DSL0014", "Model must be a plain class",
        "[Model] '{0}' is {1}; a model must be a non-static partial class",
        Parse);

    public static readonly DslDiagnosticDescriptor HookNotCalled = new(
        "DSL0015", "Method looks like a Trainer hook but will not be called",
        "'{0}' is named like a Trainer hook but {1}, so the Trainer will not call it; declare it as '{2}'",
        Parse, IsWarning: true);

    public static readonly DslDiagnosticDescriptor ReservedMemberName = new(
        "DSL0016", "Member named like a generated member",
        "'{0}' is the name of a member the generator adds to '{1}' (its parameters, summary or compiled program); rename it",
        Parse);

    public static readonly DslDiagnosticDescriptor NotConstantControlFlow = new(
        "DSL0017", "Condition or loop bound not known at compile time",
        "{0} is not a compile-time constant: {1}; {2}",
        Parse);

    public static readonly DslDiagnosticDescriptor ReadonlyCouldBeConst = new(
        "DSL0018", "Static readonly field could be const",
        "The static readonly field '{0}' has a constant initializer, so it can be declared 'const {1} {0} = ...'; the DSL folds it either way",
        Parse, IsWarning: true);

    public static readonly DslDiagnosticDescriptor LoopNotUnrollable = new(
        "DSL0019", "Loop cannot be unrolled",
        "This 'for' loop cannot be unrolled at compile time: {0}; write 'for (int i = start; i < end; i++)' with constant start and end, and no break, continue or assignment to the loop variable in the body",
        Parse);

    public static readonly DslDiagnosticDescriptor NotConstantValue = new(
        "DSL0020", "Number not known at compile time",
        "'{0}' is not a compile-time constant: {1}; a model method computes on tensors, and every other number in it must be known when the model is compiled",
        Parse);

    // ---- Shape: static shape checking (01xx) ----

    public static readonly DslDiagnosticDescriptor ShapeMismatch = new(
        "DSL0101", "Shape mismatch",
        "{0}: shapes {1} and {2} do not match",
        Shape);

    public static readonly DslDiagnosticDescriptor BadRank = new(
        "DSL0102", "Wrong rank",
        "{0} expects {1}, but got a tensor of shape {2}",
        Shape);

    public static readonly DslDiagnosticDescriptor LayerInputConflict = new(
        "DSL0103", "Layer called with different input sizes",
        "Layer '{0}' was first called with an input of shape {1} and now with {2}; a layer's weights have one shape",
        Shape);

    public static readonly DslDiagnosticDescriptor NotScalar = new(
        "DSL0104", "Value must be a scalar",
        "{0} must be a per-example scalar, but has shape {1}",
        Shape);

    public static readonly DslDiagnosticDescriptor UnsupportedArange = new(
        "DSL0106", "Unsupported use of Arange",
        "Arange({0}) is only supported as the input of an [Embedding] with exactly {0} rows (its positional table); {1}",
        Shape);

    public static readonly DslDiagnosticDescriptor WrongArgumentKind = new(
        "DSL0105", "Argument has the wrong kind",
        "{0} expects {1} as argument {2}, but got {3}",
        Shape);

    public static readonly DslDiagnosticDescriptor InvalidDropoutProbability = new(
        "DSL0107", "Dropout probability out of range",
        "The dropout probability {0} of '{1}' must lie in [0, 1): the fraction of elements zeroed in training",
        Shape);

    public static readonly DslDiagnosticDescriptor HeadsDoNotDivideWidth = new(
        "DSL0113", "Attention heads do not divide the width",
        "'{0}' has {1} heads, which do not divide its input's width {2}: each head takes an equal share of the width",
        Shape);

    public static readonly DslDiagnosticDescriptor InvalidHeadCount = new(
        "DSL0114", "Attention needs at least one head",
        "[MultiHeadAttention] '{1}' must set Heads to a count of at least 1 (it is {0})",
        Shape);

    public static readonly DslDiagnosticDescriptor AttentionOverNonSequence = new(
        "DSL0116", "Attention over something that is not a sequence",
        "'{0}' attends over a sequence [T, d], but its input has shape {1}",
        Shape);
    // ---- Composition: [Module] children and [Repeat] stacks (0118-0122) ----

    public static readonly DslDiagnosticDescriptor InvalidRepeat = new(
        "DSL0118", "Invalid [Repeat] stack",
        "The stack '{0}' {1}; declare it as '[Repeat(n)] partial Module[] {0} {{ get; }}' with n a compile-time constant from 1 to 1024",
        Parse);

    public static readonly DslDiagnosticDescriptor ChildNotModule = new(
        "DSL0119", "Child is not a [Module]",
        "The child '{0}' of '{1}' cannot hold modules: {2}; a child is 'partial Module {0} {{ get; }}' or a [Repeat] array of a [Module] class",
        Parse);

    public static readonly DslDiagnosticDescriptor ModuleWithoutForward = new(
        "DSL0120", "Module has no [Forward] method",
        "The [Module] class '{0}' has no method marked [Forward]; add the one that maps its input to its output, for its holders to call",
        Parse);

    public static readonly DslDiagnosticDescriptor RecursiveModule = new(
        "DSL0121", "Module contains itself",
        "The child '{0}' of '{1}' holds a '{2}', which contains '{1}' again; a module cannot contain itself, its parameters would never end",
        Parse);

    public static readonly DslDiagnosticDescriptor StackMisuse = new(
        "DSL0122", "Stack used other than by foreach or a constant index",
        "The stack '{0}' is used as '{1}'; a stack is unrolled at compile time, so iterate it whole with 'foreach (var m in {0})' or index it with a constant from 0 to {2}",
        Parse);

    public static readonly DslDiagnosticDescriptor TensorTooLarge = new(
        "DSL0123", "Tensor too large",
        "{0} has more than {1} elements; generated code counts elements with int, so make a layer or an input smaller",
        Shape);

    // ---- Convolution and pooling (issue 19) ----

    public static readonly DslDiagnosticDescriptor KernelLargerThanInput = new(
        "DSL0130", "Kernel larger than the padded input",
        "The kernel reaches {0} (its size with dilation), but the input {1} is only {2} with its padding; make the kernel smaller or the padding larger",
        Shape);

    public static readonly DslDiagnosticDescriptor InvalidWindowArgument = new(
        "DSL0131", "Invalid convolution or pooling argument",
        "{0} = {1} of '{2}' must be {3}",
        Parse);

    public static readonly DslDiagnosticDescriptor GroupsDoNotDivideChannels = new(
        "DSL0132", "Groups do not divide the channels",
        "Groups = {0} of '{1}' must divide both the input channels ({2}, of the input {3}) and the output channels ({4}); each group convolves its own share of the channels",
        Shape);

    // DSL0133 (an adaptive pooling output that does not divide the input) is retired: PyTorch's uneven windows compile.

    // ---- BatchNorm arguments (issue 19, onnxconv branch) ----

    public static readonly DslDiagnosticDescriptor InvalidBatchNormArgument = new(
        "DSL0134", "Invalid BatchNorm argument",
        "{0} = {1} of '{2}' must be {3}",
        Parse);

    public static readonly DslDiagnosticDescriptor AxisOutOfRange = new(
        "DSL0108", "Axis out of range",
        "Axis {0} of {1} is out of range for a tensor of shape {2} (rank {3}): {4} (the batch is not an axis)",
        Shape);

    public static readonly DslDiagnosticDescriptor ReshapeSizeMismatch = new(
        "DSL0109", "Reshape changes the number of elements",
        "Reshape of a tensor of shape {0} ({1} elements) to {2}: the sizes must agree, with at most one -1 inferred",
        Shape);

    public static readonly DslDiagnosticDescriptor ConcatShapeMismatch = new(
        "DSL0110", "Concat parts disagree",
        "Concat along axis {0}: a part of shape {2} does not match the first part's {1} on the other axes (parts must have one rank and agree on every axis but the joined one)",
        Shape);

    public static readonly DslDiagnosticDescriptor MatMulShapeMismatch = new(
        "DSL0111", "MatMul shapes disagree",
        "MatMul of {0} and {1}: {2}",
        Shape);

    public static readonly DslDiagnosticDescriptor WhereNotBroadcastable = new(
        "DSL0112", "Where operands not broadcastable",
        "Where(condition {0}, a {1}, b {2}): the operands must broadcast to one shape (aligned from the last axis, each dimension equal to the others or 1)",
        Shape);

    // ---- Autodiff: [Differentiable] functions and their transforms (02xx) ----

    public static readonly DslDiagnosticDescriptor UnsupportedFunctionSyntax = new(
        "DSL0201", "Construct not supported in a differentiable function",
        "{0} is not supported in a [Differentiable] function: {1}",
        Autodiff);

    public static readonly DslDiagnosticDescriptor NotDifferentiableCall = new(
        "DSL0202", "Call of a function that is not differentiable",
        "'{0}' cannot be differentiated: {1}",
        Autodiff);

    public static readonly DslDiagnosticDescriptor UnknownWithRespectTo = new(
        "DSL0203", "WithRespectTo names no parameter",
        "WithRespectTo names '{0}', which is not a differentiable parameter of '{1}'; its parameters are {2}",
        Autodiff);

    public static readonly DslDiagnosticDescriptor TransformSignatureMismatch = new(
        "DSL0204", "Derived function has the wrong signature",
        "'{0}' cannot be the {1} of '{2}': {3}",
        Autodiff);

    public static readonly DslDiagnosticDescriptor UnknownSourceFunction = new(
        "DSL0205", "Transform names no differentiable function",
        "[{0}] names '{1}', which is not a [Differentiable] or derived function of '{2}'",
        Autodiff);

    public static readonly DslDiagnosticDescriptor UnsupportedParameterType = new(
        "DSL0206", "Parameter or result type not supported",
        "'{0}' has type '{1}'; differentiable functions take and return double, float, int, arrays of them (or ReadOnlySpan<double>/<float>) and tuples of those",
        Autodiff);

    public static readonly DslDiagnosticDescriptor RecursiveFunction = new(
        "DSL0207", "Differentiable functions must not recurse",
        "'{0}' calls itself through '{1}'; differentiable functions are inlined at build time and cannot recurse",
        Autodiff);

    public static readonly DslDiagnosticDescriptor NotDifferentiableAgain = new(
        "DSL0208", "Function cannot be differentiated again",
        "'{0}' is a [{1}] function, whose matrix or batched result the generator does not differentiate again; differentiate '{2}' instead",
        Autodiff);

    public static readonly DslDiagnosticDescriptor HasAuxWithoutPair = new(
        "DSL0209", "HasAux needs a (value, aux) result",
        "[{0}(HasAux = true)] needs '{1}' to return a pair (value, aux) whose value is a double or float, but it returns '{2}'",
        Autodiff);

    public static readonly DslDiagnosticDescriptor CustomRuleSignatureMismatch = new(
        "DSL0210", "Custom derivative rule has the wrong signature",
        "'{0}' must be declared '{1}' to be the [{2}] rule of '{3}'",
        Autodiff);

    public static readonly DslDiagnosticDescriptor CustomRuleTarget = new(
        "DSL0211", "Custom derivative rule for a function that cannot have one",
        "[{0}] names '{1}', {2}",
        Autodiff);

    public static readonly DslDiagnosticDescriptor DuplicateCustomRule = new(
        "DSL0212", "Two custom derivative rules of one kind",
        "'{0}' already has the [{1}] rule '{2}'; a function has at most one rule of each kind",
        Autodiff);

    public static readonly DslDiagnosticDescriptor ForwardModeNeedsCustomJvp = new(
        "DSL0213", "Forward mode through a function with only a [CustomVjp]",
        "The {0} '{1}' needs forward mode through '{2}', which has a [CustomVjp] rule but no [CustomJvp]; give '{2}' a [CustomJvp] rule, which serves both modes",
        Autodiff);

    public static readonly DslDiagnosticDescriptor DuplicateWithRespectTo = new(
        "DSL0214", "WithRespectTo names a parameter twice",
        "WithRespectTo names '{0}' of '{1}' more than once; name each parameter once (the result has one gradient per name)",
        Autodiff);

    // The training step's loss and the parameters it trains. Numbered from 0225, apart from the
    // transforms' 0201-0214, so the transforms can grow without the two ranges meeting.

    public static readonly DslDiagnosticDescriptor LossWithoutGradient = new(
        "DSL0225", "Loss has no gradient",
        "The loss returned by [TrainingStep] '{0}' has no gradient with respect to any parameter, so training would never change the model: {1}; return a differentiable loss such as CrossEntropy(logits, label) or Mse(prediction, target)",
        Autodiff);

    public static readonly DslDiagnosticDescriptor UntrainedLayer = new(
        "DSL0226", "Layer gets no gradient from the loss",
        "Layer '{0}' gets no gradient from the loss returned by [TrainingStep] '{1}', so the optimizer never changes {2}: {3}",
        Autodiff, IsWarning: true);

    // ---- Internal (9999) ----

    public static readonly DslDiagnosticDescriptor InternalError = new(
        "DSL9999", "Internal generator error",
        "Internal error in the DSL generator while {0}: {1}. Please report it with the model that caused it.",
        Internal);
}

/// <summary>A diagnostic's identity, texts and severity; <c>{0}</c>-style holes take arguments.</summary>
internal sealed record DslDiagnosticDescriptor(string Id, string Title, string MessageFormat, string Category, bool IsWarning = false)
{
    /// <summary>Where the ID is documented, relative to the repository.</summary>
    public string HelpLink => "https://github.com/dsl-dotnet/dsl/blob/main/docs/diagnostics/" + Id + ".md";
}
