using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Autodiff.Functions;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir;
using Dsl.Generator.Ir.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generator.Parsing.Functions;

// Expressions: each C# expression one node, converted to the type C# converts it to.
internal sealed partial class FunctionReader
{
    private static readonly Dictionary<string, OpKind> s_mathFunctions = new()
    {
        ["Sin"] = OpKind.Sin, ["Cos"] = OpKind.Cos, ["Tan"] = OpKind.Tan, ["Asin"] = OpKind.Asin, ["Acos"] = OpKind.Acos,
        ["Atan"] = OpKind.Atan, ["Sinh"] = OpKind.Sinh, ["Cosh"] = OpKind.Cosh, ["Tanh"] = OpKind.Tanh, ["Exp"] = OpKind.Exp,
        ["Log"] = OpKind.Log, ["Log10"] = OpKind.Log10, ["Sqrt"] = OpKind.Sqrt, ["Abs"] = OpKind.Abs, ["Sign"] = OpKind.Sign,
        ["Floor"] = OpKind.Floor, ["Ceiling"] = OpKind.Ceiling, ["Round"] = OpKind.Round, ["Pow"] = OpKind.Pow,
        ["Atan2"] = OpKind.Atan2, ["Max"] = OpKind.Max, ["Min"] = OpKind.Min,
    };

    /// <summary>The node of a scalar expression, converted to the type C# converts it to.</summary>
    private int Expression(ExpressionSyntax e)
    {
        TypeInfo info = _model.GetTypeInfo(e);
        int node;
        try
        {
            node = Natural(e);
        }
        catch (Checking.ShapeError error)
        {
            // A graph rule refused the operands (a bool divided, say); C# may accept it, the derivation cannot.
            throw new FunctionSyntaxError(error.Descriptor, e, error.Arguments);
        }
        DType? converted = FunctionTypes.Scalar(info.ConvertedType);
        return converted is DType to && to != _b.Nodes[node].Type ? _b.Nodes.Convert(node, to) : node;
    }

    private int Int(ExpressionSyntax e)
    {
        int node = Expression(e);
        if (_b.Nodes[node].Type != DType.I32)
            throw Unsupported(e, "The index or bound '" + e + "'", "indices and loop bounds must be ints");
        return node;
    }

    /// <summary>The one int index of <c>a[i]</c>; <c>a[i, j]</c> or <c>a[]</c> on a one-dimensional array is refused (C# reports it too).</summary>
    private int Index(ElementAccessExpressionSyntax element)
    {
        if (element.ArgumentList.Arguments.Count != 1)
            throw Unsupported(element, "The element access '" + element + "'", "arrays in a differentiable function have one dimension, so index them with one int");
        return Int(element.ArgumentList.Arguments[0].Expression);
    }

    private int Natural(ExpressionSyntax e)
    {
        Optional<object?> constant = _model.GetConstantValue(e);
        DType? type = FunctionTypes.Scalar(_model.GetTypeInfo(e).Type);
        if (constant.HasValue && type is DType constantType && constant.Value is not null)
            return _b.Nodes.Constant(constant.Value is bool flag ? (flag ? 1 : 0) : System.Convert.ToDouble(constant.Value, System.Globalization.CultureInfo.InvariantCulture), constantType);

        GraphBuilder g = _b.Nodes;
        switch (e)
        {
            case ParenthesizedExpressionSyntax p:
                return Expression(p.Expression);
            case IdentifierNameSyntax id:
                ISymbol? symbol = _model.GetSymbolInfo(id).Symbol;
                if (symbol is not null && _names.TryGetValue(symbol, out string? name) && !_b[name].IsArray)
                    return _b.Read(name);
                throw Unsupported(e, "'" + id + "'", "a differentiable function may read its parameters, its locals and constants");
            case MemberAccessExpressionSyntax { Name.Identifier.Text: "Length" } length when IsArray(length.Expression):
                return g.Length(Array(length.Expression));
            case MemberAccessExpressionSyntax member when TupleElement(member) is (int start, 1)
                && TupleVariables(member.Expression)[start] is var item && !_b[item].IsArray:
                return _b.Read(item);
            case ElementAccessExpressionSyntax element when IsArray(element.Expression):
                string array = Array(element.Expression);
                int version = _written.Contains(array) ? _statement : 0;
                return g.Load(array, Index(element), _b[array].Type, version);
            case CastExpressionSyntax cast when FunctionTypes.Scalar(_model.GetTypeInfo(cast).Type) is DType to:
                return g.Convert(Expression(cast.Expression), to);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression):
                return g.Negate(Expression(unary.Operand));
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression):
                return Expression(unary.Operand);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.LogicalNotExpression):
                return g.Scalar(OpKind.Not, DType.Bool, Expression(unary.Operand));
            case ConditionalExpressionSyntax c:
                return g.Select(Expression(c.Condition), Expression(c.WhenTrue), Expression(c.WhenFalse));
            case BinaryExpressionSyntax b:
                return Binary(b);
            case InvocationExpressionSyntax call:
                return Invocation(call);
            default:
                throw Unsupported(e, "The expression '" + e + "'", "use arithmetic, comparisons, the ternary, Math functions, array elements and calls of differentiable functions");
        }
    }

    private int Binary(BinaryExpressionSyntax b)
    {
        GraphBuilder g = _b.Nodes;
        int left = Expression(b.Left), right = Expression(b.Right);
        OpKind? arithmetic = b.Kind() switch
        {
            SyntaxKind.AddExpression => OpKind.Add,
            SyntaxKind.SubtractExpression => OpKind.Subtract,
            SyntaxKind.MultiplyExpression => OpKind.Multiply,
            SyntaxKind.DivideExpression => OpKind.Divide,
            _ => null,
        };
        if (arithmetic is OpKind op)
            return g.Binary(op, left, right);
        OpKind other = b.Kind() switch
        {
            SyntaxKind.ModuloExpression => OpKind.Remainder,
            SyntaxKind.LessThanExpression => OpKind.Less,
            SyntaxKind.LessThanOrEqualExpression => OpKind.LessEqual,
            SyntaxKind.GreaterThanExpression => OpKind.Greater,
            SyntaxKind.GreaterThanOrEqualExpression => OpKind.GreaterEqual,
            SyntaxKind.EqualsExpression => OpKind.Equal,
            SyntaxKind.NotEqualsExpression => OpKind.NotEqual,
            SyntaxKind.LogicalAndExpression => OpKind.And,
            SyntaxKind.LogicalOrExpression => OpKind.Or,
            _ => throw Unsupported(b, "The operator '" + b.OperatorToken.Text + "'", "use + - * / %, comparisons, && and ||"),
        };
        DType type = other == OpKind.Remainder ? g[left].Type : DType.Bool;
        return g.Scalar(other, type, left, right);
    }

    private int Invocation(InvocationExpressionSyntax call)
    {
        if (_model.GetSymbolInfo(call).Symbol is not IMethodSymbol method)
            throw Unsupported(call, "The call '" + call + "'", "the call must resolve to one method");
        var arguments = call.ArgumentList.Arguments.Select(a => a.Expression).ToList();
        string container = method.ContainingType.ToDisplayString();
        if (container is "System.Math" or "System.MathF")
            return MathCall(call, method, arguments);

        IReadOnlyList<string> results = Inline(call, method, arguments);
        if (results.Count != 1 || _b[results[0]].IsArray)
            throw Unsupported(call, "Using '" + method.Name + "' as a number", "its result is an array or a tuple; assign it to an array local or deconstruct it");
        return _b.Read(results[0]);
    }

    private int MathCall(InvocationExpressionSyntax call, IMethodSymbol method, List<ExpressionSyntax> arguments)
    {
        GraphBuilder g = _b.Nodes;
        DType type = FunctionTypes.Scalar(method.ReturnType) ?? DType.F64;
        int[] args = arguments.Select(Expression).ToArray();
        if (method.Name == "Log" && args.Length == 2)
            return g.Divide(g.Unary(OpKind.Log, args[0]), g.Unary(OpKind.Log, args[1]));
        if (method.Name == "Log2")
            return g.Divide(g.Unary(OpKind.Log, args[0]), g.Unary(OpKind.Log, g.Constant(2, type)));
        if (method.Name == "Round" && args.Length != 1 || !s_mathFunctions.TryGetValue(method.Name, out OpKind op))
            throw new FunctionSyntaxError(DiagnosticDescriptors.NotDifferentiableCall, call, method.ContainingType.Name + "." + method.Name, UnsupportedMath(method));
        if (op == OpKind.Sign)
            return g.Scalar(OpKind.Sign, DType.I32, args);
        return op is OpKind.Exp or OpKind.Log or OpKind.Tanh ? g.Unary(op, args[0]) : g.Scalar(op, type, args);
    }

    /// <summary>Why a Math member has no derivative here, and the ones that have.</summary>
    private static string UnsupportedMath(IMethodSymbol method)
    {
        string supported = string.Join(", ", s_mathFunctions.Keys.Where(k => k != "Round").Concat(new[] { "Round(x)", "Log(x, base)", "Log2" }).OrderBy(k => k, System.StringComparer.Ordinal));
        string what = method.Name == "Round" ? "this overload of " + method.ContainingType.Name + ".Round is" : "this " + method.ContainingType.Name + " function is";
        return what + " not supported in a differentiable function; the supported ones are " + supported
            + " (write it with those, or as a [Differentiable] function of your own)";
    }

    private bool IsArray(ExpressionSyntax e) => FunctionTypes.Of(_model.GetTypeInfo(e).Type!) is (_, true);

    /// <summary>The variable an array-valued expression names: a parameter, a local, or the result of an inlined call.</summary>
    private string Array(ExpressionSyntax e)
    {
        if (e is ParenthesizedExpressionSyntax p)
            return Array(p.Expression);
        if (e is IdentifierNameSyntax && _model.GetSymbolInfo(e).Symbol is { } symbol && _names.TryGetValue(symbol, out string? name) && _b[name].IsArray)
            return name;
        if (e is MemberAccessExpressionSyntax member && TupleElement(member) is (int start, 1)
            && TupleVariables(member.Expression)[start] is var item && _b[item].IsArray)
            return item;
        if (ArrayElements(e) is { } elements)
            return NewArray(e, elements);
        if (e is InvocationExpressionSyntax call && _model.GetSymbolInfo(call).Symbol is IMethodSymbol method)
        {
            IReadOnlyList<string> results = Inline(call, method, call.ArgumentList.Arguments.Select(a => a.Expression).ToList());
            if (results.Count == 1 && _b[results[0]].IsArray)
                return results[0];
        }
        throw Unsupported(e, "The array expression '" + e + "'", "name an array parameter or local, or call a function that returns one");
    }

    /// <summary>The elements of <c>new[] { a, b }</c>, <c>new double[] { a, b }</c> or <c>[a, b]</c>, or null.</summary>
    private static IReadOnlyList<ExpressionSyntax>? ArrayElements(ExpressionSyntax e) => e switch
    {
        ImplicitArrayCreationExpressionSyntax implicitly => implicitly.Initializer.Expressions,
        ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions,
        CollectionExpressionSyntax collection when collection.Elements.All(x => x is ExpressionElementSyntax) =>
            collection.Elements.Cast<ExpressionElementSyntax>().Select(x => x.Expression).ToList(),
        _ => null,
    };

    /// <summary>An array literal: a new array of its length, each element stored in turn.</summary>
    private string NewArray(ExpressionSyntax e, IReadOnlyList<ExpressionSyntax> elements)
    {
        ITypeSymbol type = _model.GetTypeInfo(e).ConvertedType ?? _model.GetTypeInfo(e).Type!;
        if (FunctionTypes.Of(type) is not (DType element, true))
            throw Unsupported(e, "The array '" + e + "'", "write an array of double, float or int");
        GraphBuilder g = _b.Nodes;
        string name = _b.Fresh("array", element, isArray: true);
        _current.Add(new Allocate(name, g.Constant(elements.Count, DType.I32), Where(e)));
        for (int k = 0; k < elements.Count; k++)
            _current.Add(new Store(name, g.Constant(k, DType.I32), g.Convert(Expression(elements[k]), element), false, Where(elements[k])));
        _written.Add(name);
        return name;
    }

    /// <summary>Copies a differentiable callee into this function; returns the variables of its results.</summary>
    private IReadOnlyList<string> Inline(InvocationExpressionSyntax call, IMethodSymbol method, List<ExpressionSyntax> arguments)
    {
        Function callee = _library.Resolve(method, call);
        if (callee.ParameterGroups.Count != arguments.Count || method.Parameters.Length != arguments.Count)
            throw Unsupported(call, "The call '" + call + "'", "pass every parameter, in order");
        var bindings = new Dictionary<string, string>();
        var declarations = new List<Statement>();
        for (int i = 0; i < arguments.Count; i++)
        {
            // A tuple argument binds each of its leaves to the callee's parameter for it.
            IReadOnlyList<string> parameters = callee.LeavesOf(callee.ParameterGroups[i]);
            IReadOnlyList<Value> values = Values(arguments[i], method.Parameters[i].Type);
            for (int k = 0; k < parameters.Count; k++)
            {
                string parameter = parameters[k];
                if (callee.IsArray(parameter))
                {
                    bindings[parameter] = values[k].Array!;
                    continue;
                }
                string local = _b.Fresh(callee.Name + "_" + parameter, callee[parameter].Type);
                declarations.Add(new Declare(local, _b.Nodes.Convert(values[k].Node!.Value, callee[parameter].Type), Where(arguments[i])));
                bindings[parameter] = local;
            }
        }
        _current.AddRange(declarations);
        var inliner = new Inliner(_b, callee, bindings, Where(call), _written);
        _current.AddRange(inliner.Body());
        return callee.Results.Select(inliner.Name).ToList();
    }
}
