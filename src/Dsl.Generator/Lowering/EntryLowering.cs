using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Checking;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Lowering;

/// <summary>
/// Lowers one entry point: runs its statements symbolically over IR values, inlining the model
/// methods it calls. A failed expression reports one diagnostic and yields <see cref="ErrorValue"/>,
/// which later uses pass on silently, so one mistake gives one error.
/// </summary>
internal sealed class EntryLowering
{
    private readonly ModelLowering _model;
    private readonly GraphBuilder _g;
    private readonly MethodSpec _entry;
    private readonly Dictionary<string, int> _inputs = new();
    private readonly Dictionary<string, int> _tokens = new();
    private readonly Stack<string> _callStack = new();
    private int _dropoutSites;

    // The module whose body is being lowered (the model itself at first) and where its
    // parameters live: "blocks.0." in PyTorch's names, "Blocks[0]." in the user's C#.
    private readonly ModuleSpec _root;
    private ModuleSpec _owner;
    private ModuleInstance _instance = ModuleInstance.Root;

    private readonly Dictionary<string, int> _bufferWrites = new();
    private readonly List<LayerCall> _layerCalls = new();

    public EntryLowering(ModelLowering model, GraphBuilder builder, MethodSpec entry)
    {
        _model = model;
        _g = builder;
        _entry = entry;
        _owner = _root = model.Model.Root;
    }

    /// <summary>Where the entry's <c>return</c> is, for messages about its value.</summary>
    public LocationInfo? ReturnLocation { get; private set; }

    /// <summary>The shape an entry parameter got, from [Shape] or from its first use.</summary>
    public Shape? InputShape(string name) =>
        _inputs.TryGetValue(name, out int node) || _tokens.TryGetValue(name, out node) ? _g[node].Shape : null;

    /// <summary>Lowers the entry's body; returns its result, null for void or after an error.</summary>
    public Value? Run()
    {
        var scope = new Dictionary<string, Value>();
        foreach (ParameterSpec parameter in _entry.Parameters)
        {
            if (parameter.Kind == ValueKind.Label)
                scope[parameter.Name] = new LabelValue(_g.LabelInput(parameter.Name));
            else if (parameter.Kind == ValueKind.Tokens)
                scope[parameter.Name] = parameter.Shape is { } length ? Tokens(parameter.Name, new Shape(length), parameter.Location) : new PendingTokens(parameter.Name);
            else if (parameter.Shape is { } dims)
                scope[parameter.Name] = new TensorValue(_inputs[parameter.Name] = _g.Input(parameter.Name, new Shape(dims)));
            else
                scope[parameter.Name] = new PendingInput(parameter.Name);
        }
        Value? result = Execute(_entry, scope, isEntry: true);
        return result is ErrorValue ? null : result;
    }

    private Value? Execute(MethodSpec method, Dictionary<string, Value> scope, bool isEntry) => Execute(method.Body, scope, isEntry);

    private Value? Execute(EquatableArray<Statement> body, Dictionary<string, Value> scope, bool isEntry)
    {
        foreach (Statement statement in body)
        {
            _g.Source = statement.Location;
            switch (statement)
            {
                case AssignStatement assign:
                    scope[assign.Name] = Evaluate(assign.Value, scope);
                    break;
                case LogStatement log:
                    Value logged = Evaluate(log.Value, scope);
                    if (logged is TensorValue metric)
                    {
                        if (_g[metric.Node].Shape.IsScalar)
                            _g.Output(log.MetricName, OutputRole.Metric, metric.Node);
                        else
                            _model.Report(DiagnosticDescriptors.NotScalar, log.Value.Location, "The value logged as '" + log.MetricName + "'", _g[metric.Node].Shape);
                    }
                    break;
                case ExpressionStatement expression:
                    Evaluate(expression.Value, scope);
                    break;
                case DeconstructStatement deconstruct:
                    Deconstruct(deconstruct, scope);
                    break;
                case ForEachModuleStatement loop:
                    // Unrolled: the body once per module of the stack (the parser allows no return in it).
                    ChildSpec stack = _owner.Children.First(c => c.PropertyName == loop.Property);
                    for (int i = 0; i < stack.Count; i++)
                    {
                        scope[loop.Variable] = new ModuleValue(_model.Module(stack.ModuleType), _instance.Child(stack, i));
                        Execute(loop.Body, scope, isEntry: false);
                    }
                    scope.Remove(loop.Variable);
                    break;
                case ReturnStatement ret:
                    if (isEntry) ReturnLocation = ret.Location;
                    return ret.Value is null ? null : Evaluate(ret.Value, scope);
            }
        }
        return null;
    }

    private Value Evaluate(Expression expression, Dictionary<string, Value> scope)
    {
        try
        {
            return expression switch
            {
                ConstantExpression c => new TensorValue(_g.Constant(c.Value)),
                NameExpression n => Name(n, scope),
                NegateExpression n => Negate(n, scope),
                BinaryExpression b => Binary(b, scope),
                CallExpression call => Call(call, scope),
                ModuleCallExpression call => ModuleCall(call, scope),
                IndexExpression index => Index(index, scope),
                TupleExpression tuple => Tuple(tuple, scope),
                TupleElementExpression element => TupleElement(element, scope),
                ErrorExpression => ErrorValue.Instance,
                _ => Report(DiagnosticDescriptors.UnsupportedSyntax, expression.Location, expression.GetType().Name, DiagnosticDescriptors.UnsupportedSyntaxAdvice),
            };
        }
        catch (ShapeError error)
        {
            _model.Report(error.Descriptor, Culprit(expression, error), error.Arguments);
            return ErrorValue.Instance;
        }
    }

    /// <summary>Where to report a shape error: at the argument it names when it names one, else at the expression.</summary>
    private static LocationInfo? Culprit(Expression expression, ShapeError error)
    {
        if (error.Descriptor == DiagnosticDescriptors.WrongArgumentKind && error.Arguments.Length > 2 && error.Arguments[2] is int position)
        {
            if (expression is CallExpression call && position >= 1 && position <= call.Arguments.Count)
                return call.Arguments[position - 1].Location;
            if (expression is BinaryExpression binary)
                return (position == 1 ? binary.Left : binary.Right).Location;
        }
        return expression.Location;
    }

    private Value Name(NameExpression name, Dictionary<string, Value> scope)
    {
        if (!scope.TryGetValue(name.Name, out Value value))
            return Report(DiagnosticDescriptors.UnknownVariable, name.Location, name.Name);
        return value switch
        {
            PendingInput pending when _inputs.TryGetValue(pending.Name, out int node) => new TensorValue(node),
            PendingTokens pending when _tokens.TryGetValue(pending.Name, out int node) => new TokensValue(node),
            _ => value,
        };
    }

    /// <summary><c>parts[i]</c> of a Split or Chunk, with i a constant inside the parts.</summary>
    private Value Index(IndexExpression index, Dictionary<string, Value> scope)
    {
        Value target = Evaluate(index.Target, scope);
        if (target is ErrorValue) return target;
        if (target is not PartsValue parts)
            return Report(DiagnosticDescriptors.UnsupportedSyntax, index.Location, "Indexing a value that is not the result of Split or Chunk", "index the parts returned by Split or Chunk with a constant");
        if (index.Index < 0 || index.Index >= parts.Parts.Count)
            return Report(DiagnosticDescriptors.UnsupportedSyntax, index.Location, $"Part [{index.Index}] of {parts.Parts.Count} parts", $"index the parts with a constant from 0 to {parts.Parts.Count - 1}");
        return new TensorValue(parts.Parts[index.Index]);
    }

    /// <summary><c>(logits, aux)</c>: the outputs of a method with several, as one value until its caller deconstructs it.</summary>
    private Value Tuple(TupleExpression tuple, Dictionary<string, Value> scope)
    {
        var elements = tuple.Elements.Select(e => Evaluate(e, scope)).ToList();
        return elements.Any(e => e is ErrorValue) ? ErrorValue.Instance : new TupleValue(elements);
    }

    /// <summary><c>heads.aux</c>: one output of a method that returns several.</summary>
    private Value TupleElement(TupleElementExpression element, Dictionary<string, Value> scope)
    {
        Value target = Evaluate(element.Target, scope);
        if (target is ErrorValue) return target;
        if (target is not TupleValue tuple || element.Index < 0 || element.Index >= tuple.Elements.Count)
            return Report(DiagnosticDescriptors.UnsupportedSyntax, element.Location, "This tuple element", "read the outputs of a model method that returns a tuple of Tensors by their names, or deconstruct them with 'var (a, b) = ...'");
        return tuple.Elements[element.Index];
    }

    /// <summary><c>var (logits, aux) = Forward(x);</c>: each name bound to its output (C# has checked the count).</summary>
    private void Deconstruct(DeconstructStatement deconstruct, Dictionary<string, Value> scope)
    {
        Value value = Evaluate(deconstruct.Value, scope);
        for (int i = 0; i < deconstruct.Names.Count; i++)
        {
            string name = deconstruct.Names[i];
            if (name.Length == 0) continue; // a discard
            scope[name] = value is TupleValue tuple && i < tuple.Elements.Count ? tuple.Elements[i] : ErrorValue.Instance;
        }
    }

    private Value Negate(NegateExpression negate, Dictionary<string, Value> scope)
    {
        Value operand = Evaluate(negate.Operand, scope);
        return operand is ErrorValue ? operand : new TensorValue(_g.Negate(TensorOf(operand, negate.Operand, "'-'", 1)));
    }

    private Value Binary(BinaryExpression binary, Dictionary<string, Value> scope)
    {
        Value left = Evaluate(binary.Left, scope), right = Evaluate(binary.Right, scope);
        if (left is ErrorValue || right is ErrorValue) return ErrorValue.Instance;

        // An unshaped input takes the shape of the tensor it is combined with.
        if (left is PendingInput && right is TensorValue r) left = Resolve(left, _g[r.Node].Shape, binary.Left.Location);
        if (right is PendingInput && left is TensorValue l) right = Resolve(right, _g[l.Node].Shape, binary.Right.Location);

        OpKind op = binary.Operator switch
        {
            BinaryOperator.Add => OpKind.Add,
            BinaryOperator.Subtract => OpKind.Subtract,
            BinaryOperator.Multiply => OpKind.Multiply,
            _ => OpKind.Divide,
        };
        int a = TensorOf(left, binary.Left, ShapeRules.Describe(op), 1), b = TensorOf(right, binary.Right, ShapeRules.Describe(op), 2);
        // Shapes that differ broadcast as NumPy's do (x - Mean(x, -1, true), [3, 1] * [1, 4]); otherwise DSL0101.
        return new TensorValue(Broadcasting.Binary(_g, op, a, b));
    }

    private Value Call(CallExpression call, Dictionary<string, Value> scope)
    {
        var args = call.Arguments.Select(a => Evaluate(a, scope)).ToList();
        if (args.Any(a => a is ErrorValue)) return ErrorValue.Instance;

        switch (call.Target)
        {
            case CallTarget.Layer:
                return Layer(call, args);
            case CallTarget.Method:
                return Inline(call, args);
            default:
                if (call.Name == "Mse" && args.Count == 2)
                {
                    if (args[1] is PendingInput && args[0] is TensorValue p) args[1] = Resolve(args[1], _g[p.Node].Shape, call.Arguments[1].Location);
                    if (args[0] is PendingInput && args[1] is TensorValue t) args[0] = Resolve(args[0], _g[t.Node].Shape, call.Arguments[0].Location);
                }
                if (call.Name is "CrossEntropy" or "Accuracy" && args.Count == 2 && args[1] is PendingTokens or TokensValue && args[0] is TensorValue perExample
                    && _g[perExample.Node].Shape.Rank < 2)
                {
                    // Tokens targets need one row of logits per position: the logits, not the targets, lack an axis.
                    string targetsName = args[1] is PendingTokens p ? p.Name : call.Arguments[1] is NameExpression n ? n.Name : "targets";
                    return Report(DiagnosticDescriptors.BadRank, call.Arguments[0].Location,
                        call.Name + "(logits, Tokens '" + targetsName + "')",
                        "logits [T, classes], one row per position of the Tokens (these logits have no position axis: compute them per position, or declare '" + targetsName + "' a Label for one class per example)",
                        _g[perExample.Node].Shape);
                }
                if (call.Name is "CrossEntropy" or "Accuracy" && args.Count == 2 && args[1] is PendingTokens targets && args[0] is TensorValue logits)
                {
                    args[1] = ResolveTokens(targets, _g[logits.Node].Shape.Leading, call.Arguments[1].Location);
                    if (args[1] is ErrorValue) return ErrorValue.Instance;
                }
                for (int i = 0; i < args.Count; i++)
                {
                    if (args[i] is PendingInput pending) return MissingShape(pending.Name);
                    if (args[i] is PendingTokens tokens) return MissingShape(tokens.Name);
                    if (args[i] is ArangeValue arange) return Report(DiagnosticDescriptors.UnsupportedArange, call.Arguments[i].Location, arange.Length, "here it is an argument of " + call.Name);
                }
                if (call.Name == "Arange" && call.Arguments.Count == 1)
                    return call.Arguments[0] is ConstantExpression { Value: var n } && n >= 1 && n == System.Math.Floor(n) && n <= int.MaxValue
                        ? new ArangeValue((int)n)
                        : Report(DiagnosticDescriptors.InvalidDimension, call.Arguments[0].Location, call.Arguments[0] is ConstantExpression c ? c.Value : "(not a constant)", "Arange");
                return OpLowering.TryLower(_g, call.Name, args)
                    ?? Report(DiagnosticDescriptors.UnsupportedCall, call.Location, "Ops." + call.Name);
        }
    }

    /// <summary>
    /// A layer call: the layer, placed in the module being lowered, lowers itself. A call of a layer
    /// that exports as an ONNX operator of its own is recorded, with its input and output nodes.
    /// </summary>
    private Value Layer(CallExpression call, List<Value> args)
    {
        LayerSpec layer = _instance.Place(_owner.Layers.First(l => l.MethodName == call.Name));
        Value result = layer.Kind.Lower(this, call, layer, args[0]);
        int input = args[0] switch
        {
            TensorValue t => t.Node,
            PendingInput p when _inputs.TryGetValue(p.Name, out int node) => node,
            _ => -1,
        };
        if (layer.Kind.Onnx is not null && result is TensorValue output && input >= 0)
            _layerCalls.Add(new LayerCall(layer.Kind, layer.ParameterName + ".", input, output.Node));
        return result;
    }

    /// <summary>The calls of layers with an ONNX operator of their own, in the order they were lowered (<see cref="LoweredEntry.LayerCalls"/>).</summary>
    internal IReadOnlyList<LayerCall> LayerCalls => _layerCalls;

    /// <summary>Inlines a call to another model method: binds its parameters to the arguments and runs its body.</summary>
    private Value Inline(CallExpression call, List<Value> args)
    {
        MethodSpec callee = _owner.Methods.First(m => m.Name == call.Name);
        return Inline(call.Location, call.Arguments, callee, args);
    }

    /// <summary>
    /// <c>module.Forward(args)</c>: the module's [Forward] inlined with the module as owner, so its
    /// layers take their parameters under the module's prefix (<c>blocks.0.up.weight</c>).
    /// </summary>
    private Value ModuleCall(ModuleCallExpression call, Dictionary<string, Value> scope)
    {
        ModuleValue? module = call.Module switch
        {
            ChildReference child => ChildModule(_owner.Children.First(c => c.PropertyName == child.Property), null),
            IndexedChildReference indexed => ChildModule(_owner.Children.First(c => c.PropertyName == indexed.Property), indexed.Index),
            LoopVariableReference variable => scope.TryGetValue(variable.Name, out Value value) ? value as ModuleValue : null,
            _ => null,
        };
        if (module is null)
            return scope.TryGetValue((call.Module as LoopVariableReference)?.Name ?? "", out Value v) && v is ErrorValue
                ? ErrorValue.Instance
                : Report(DiagnosticDescriptors.UnsupportedSyntax, call.Module.Location, "A module that is not a child or a foreach over a stack", "call a child's Forward, a stack's Forward in a foreach or a for loop, or Blocks[k].Forward with a constant k");
        var args = call.Arguments.Select(a => Evaluate(a, scope)).ToList();
        if (args.Any(a => a is ErrorValue)) return ErrorValue.Instance;

        ModuleSpec caller = _owner;
        ModuleInstance callerInstance = _instance;
        _owner = module.Module;
        _instance = module.Instance;
        try
        {
            return Inline(call.Location, call.Arguments, _owner.Methods.First(m => m.Name == call.Method), args);
        }
        finally
        {
            _owner = caller;
            _instance = callerInstance;
        }
    }

    private ModuleValue ChildModule(ChildSpec child, int? index) => new(_model.Module(child.ModuleType), _instance.Child(child, index));

    /// <summary>Inlines <paramref name="callee"/> of the current owner: binds its parameters to the arguments and runs its body.</summary>
    private Value Inline(LocationInfo? callLocation, EquatableArray<Expression> arguments, MethodSpec callee, List<Value> args)
    {
        string key = _owner.TypeName + "." + callee.Name;
        if (_callStack.Contains(key) || (callee.Name == _entry.Name && ReferenceEquals(_owner, _root)))
            return Report(DiagnosticDescriptors.RecursiveCall, callLocation, callee.Name, _callStack.Count > 0 ? _callStack.Peek().Substring(_callStack.Peek().LastIndexOf('.') + 1) : _entry.Name);
        var call = (Location: callLocation, Arguments: arguments);

        var scope = new Dictionary<string, Value>();
        for (int i = 0; i < callee.Parameters.Count; i++)
        {
            ParameterSpec parameter = callee.Parameters[i];
            Value arg = args[i];
            if (parameter.Kind == ValueKind.Tokens && parameter.Shape is { } length)
            {
                var expected = new Shape(length);
                if (arg is PendingTokens pending) arg = ResolveTokens(pending, expected, call.Arguments[i].Location);
                if (arg is TokensValue tokens && _g[tokens.Node].Shape != expected)
                    return Report(DiagnosticDescriptors.ShapeMismatch, call.Arguments[i].Location,
                        $"Tokens argument '{parameter.Name}' of {callee.Name}", expected, _g[tokens.Node].Shape);
            }
            else if (parameter.Shape is { } dims)
            {
                var expected = new Shape(dims);
                arg = Resolve(arg, expected, call.Arguments[i].Location);
                if (arg is TensorValue t && _g[t.Node].Shape != expected)
                    return Report(DiagnosticDescriptors.ShapeMismatch, call.Arguments[i].Location,
                        $"Argument '{parameter.Name}' of {callee.Name}", expected, _g[t.Node].Shape);
            }
            ValueKind? given = arg switch
            {
                LabelValue => ValueKind.Label,
                TokensValue or PendingTokens or ArangeValue => ValueKind.Tokens,
                PendingInput => null,
                _ => ValueKind.Tensor,
            };
            if (given is { } kind && kind != parameter.Kind)
                return Report(DiagnosticDescriptors.WrongArgumentKind, call.Arguments[i].Location, callee.Name,
                    parameter.Kind.Describe(), i + 1, kind.Describe());
            scope[parameter.Name] = arg;
        }

        _callStack.Push(key);
        LocationInfo? caller = _g.Source;
        Value? result = Execute(callee, scope, isEntry: false);
        _g.Source = caller;
        _callStack.Pop();
        return result ?? ErrorValue.Instance;
    }

    private Value Resolve(Value value, Shape shape, LocationInfo? location)
    {
        if (value is not PendingInput pending) return value;
        if (!_inputs.TryGetValue(pending.Name, out int node))
            _inputs[pending.Name] = node = _g.Input(pending.Name, shape);
        return new TensorValue(node);
    }

    /// <summary>The Tokens input <paramref name="pending"/>, made with <paramref name="length"/> at its first use.</summary>
    private Value ResolveTokens(PendingTokens pending, Shape length, LocationInfo? location)
    {
        if (!_tokens.TryGetValue(pending.Name, out int node))
            return Tokens(pending.Name, length, location);
        return new TokensValue(node);
    }

    private Value Tokens(string name, Shape length, LocationInfo? location)
    {
        if (length.Rank != 1)
            return Report(DiagnosticDescriptors.BadRank, location, "Tokens '" + name + "'", "one length [T]", length);
        return new TokensValue(_tokens[name] = _g.LabelInput(name, length));
    }

    // ---- What a layer's lowering uses (LayerKind.Lower) ----

    /// <summary>The graph being built.</summary>
    internal GraphBuilder Graph => _g;

    /// <summary>Whether this entry is the [TrainingStep] (dropout drops; batch statistics are used).</summary>
    internal bool IsTrainingStep => _entry.Role == MethodRole.TrainingStep;

    /// <summary>A new dropout site of this entry, so two dropout calls draw independent masks.</summary>
    internal int NextDropoutSite() => _dropoutSites++;

    /// <summary>
    /// A buffer's value at this point of the entry: what an earlier call of the step wrote to it
    /// (two calls of a BatchNorm layer in one training step update it twice, as PyTorch's do), else
    /// its stored value, a leaf like a parameter's.
    /// </summary>
    internal int ReadBuffer(string name, Shape shape) =>
        _bufferWrites.TryGetValue(name, out int written) ? written : _g.Parameter(name, shape);

    /// <summary>Makes <paramref name="value"/> the buffer's new value, which the step stores when it ends.</summary>
    internal void WriteBuffer(string name, int value)
    {
        _bufferWrites[name] = value;
        _g.Output(name, OutputRole.BufferUpdate, value);
    }

    /// <summary>Records a layer's input size at its first call and checks later calls against it.</summary>
    internal bool BindLayerInput(LayerSpec layer, Shape input, LocationInfo? location) => _model.BindLayerInput(layer, input, location);

    /// <summary>Records that a parameterless layer is called, so it is not reported unused.</summary>
    internal void MarkCalled(LayerSpec layer) => _model.MarkCalled(layer);

    /// <summary>The node of a Tensor argument; throws a <see cref="ShapeError"/> for anything else.</summary>
    internal int TensorOf(Value value, Expression expression, string op, int position) => value switch
    {
        TensorValue t => t.Node,
        PendingInput p when _inputs.TryGetValue(p.Name, out int node) => node,
        PendingInput p => throw new ShapeError(DiagnosticDescriptors.MissingShape, p.Name),
        _ => throw new ShapeError(DiagnosticDescriptors.WrongArgumentKind, op, "a Tensor", position, value is LabelValue ? "a Label" : "Tokens"),
    };

    internal Value MissingShape(string name)
    {
        ParameterSpec parameter = _entry.Parameters.First(p => p.Name == name);
        return Report(DiagnosticDescriptors.MissingShape, parameter.Location, name);
    }

    internal Value Report(DslDiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments)
    {
        _model.Report(descriptor, location, arguments);
        return ErrorValue.Instance;
    }
}
