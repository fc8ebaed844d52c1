using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generator.Parsing;

/// <summary>
/// Evaluates the numbers and booleans of a model method at compile time: what Roslyn's
/// <c>GetConstantValue</c> answers (literals, <c>const</c>s), and what it does not: the variable of
/// an unrolled <c>for</c>, locals of primitive type whose value is known at that point of the
/// unrolled body, <c>static readonly</c> fields of primitive type with constant initializers,
/// <c>Math</c>/<c>MathF</c> functions of constants, <c>?:</c> on a constant condition, casts, and the
/// count of a <c>[Repeat]</c> stack (<c>Blocks.Length</c>). Values are C# values of their C# type
/// (int division truncates, <c>MathF</c> rounds to float). When an expression is not constant,
/// <see cref="NotConstant"/> says why, naming what it reads.
/// </summary>
internal sealed class ConstantFolder
{
    private readonly ModelParser _model;
    private readonly Compilation _compilation;
    private readonly Dictionary<SyntaxTree, SemanticModel> _semanticModels = new();
    private readonly Dictionary<ISymbol, object> _locals = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _folding = new(SymbolEqualityComparer.Default);

    /// <param name="model">The parser, for diagnostics.</param>
    /// <param name="semanticModel">The semantic model of the method body being folded; other trees (a field initializer in another file) get theirs once, on first use.</param>
    public ConstantFolder(ModelParser model, SemanticModel semanticModel)
    {
        _model = model;
        _compilation = semanticModel.Compilation;
        _semanticModels[semanticModel.SyntaxTree] = semanticModel;
    }

    /// <summary>Why the last failed <see cref="TryFold"/> failed: the reason and the node to blame.</summary>
    public (string Reason, SyntaxNode Culprit)? NotConstant { get; private set; }

    public void Bind(ISymbol local, object value) => _locals[local] = value;

    public void Unbind(ISymbol local) => _locals.Remove(local);

    public bool IsBound(ISymbol local) => _locals.ContainsKey(local);

    /// <summary>The value of <paramref name="expression"/>: a bool, int, long, float or double.</summary>
    public bool TryFold(ExpressionSyntax expression, out object value)
    {
        NotConstant = null;
        object? result = Fold(expression);
        value = result!;
        return result is not null;
    }

    /// <summary>A number as double (bools are 1 and 0), or null.</summary>
    public double? TryFoldNumber(ExpressionSyntax expression) =>
        TryFold(expression, out object value) ? ToDouble(value) : null;

    /// <summary>One semantic model per tree, reused across the recursive folds (Roslyn makes a new one on each request).</summary>
    /// <remarks>Notes each node folded as read (<see cref="TreesRead"/>): a model made for one region binds others of its tree.</remarks>
    private SemanticModel Model(SyntaxNode node)
    {
        if (!_semanticModels.TryGetValue(node.SyntaxTree, out SemanticModel? model))
            _semanticModels[node.SyntaxTree] = model = BodySemanticModel.For(_compilation, node);
        else
            TreesRead.Note(node);
        return model;
    }

    private object? Fail(SyntaxNode culprit, string reason)
    {
        NotConstant ??= (reason, culprit);
        return null;
    }

    private object? Fold(ExpressionSyntax expression)
    {
        SemanticModel model = Model(expression);
        if (expression is IdentifierNameSyntax name && model.GetSymbolInfo(name).Symbol is ILocalSymbol local && _locals.TryGetValue(local, out object? bound))
            return bound;
        Optional<object?> constant = model.GetConstantValue(expression);
        if (constant.HasValue)
            return Normalize(constant.Value) ?? Fail(expression, "'" + expression + "' is a constant of a type the DSL does not use (numbers and bools only)");

        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Fold(parenthesized.Expression);
            case CastExpressionSyntax cast:
                object? operand = Fold(cast.Expression);
                if (operand is null) return null;
                return model.GetTypeInfo(cast.Type).Type is { } type && ConvertTo(operand, type.SpecialType) is { } converted
                    ? converted
                    : Fail(cast, "the cast '" + cast + "' is not to a number type");
            case CheckedExpressionSyntax checkedExpression:
                return Fold(checkedExpression.Expression);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression) || unary.IsKind(SyntaxKind.UnaryPlusExpression) || unary.IsKind(SyntaxKind.LogicalNotExpression):
                object? inner = Fold(unary.Operand);
                if (inner is null) return null;
                if (unary.IsKind(SyntaxKind.LogicalNotExpression))
                    return inner is bool b ? !b : Fail(unary, "'!' of a number");
                if (unary.IsKind(SyntaxKind.UnaryPlusExpression)) return inner;
                return inner switch
                {
                    int i => -i,
                    long l => -l,
                    float f => -f,
                    double d => -d,
                    _ => Fail(unary, "'-' of a bool"),
                };
            case BinaryExpressionSyntax binary:
                return Binary(binary);
            case ConditionalExpressionSyntax conditional:
                object? condition = Fold(conditional.Condition);
                if (condition is null) return null;
                if (condition is not bool chosen) return Fail(conditional.Condition, "the condition is not a bool");
                object? branch = Fold(chosen ? conditional.WhenTrue : conditional.WhenFalse);
                return branch is null ? null : ConvertTo(branch, model.GetTypeInfo(conditional).Type?.SpecialType ?? SpecialType.None) ?? branch;
            case InvocationExpressionSyntax invocation:
                return Call(invocation, model);
            case IdentifierNameSyntax or MemberAccessExpressionSyntax:
                return Symbol(expression, model);
            default:
                return Fail(expression, Tensor(expression, model) ?? "'" + expression + "' is not a compile-time constant");
        }
    }

    private object? Symbol(ExpressionSyntax expression, SemanticModel model)
    {
        ISymbol? symbol = model.GetSymbolInfo(expression).Symbol;
        if (expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "Length" or "Count" } access
            && _model.Child(model.GetSymbolInfo(access.Expression).Symbol) is { Count: { } count })
            return count;
        switch (symbol)
        {
            case IFieldSymbol { IsStatic: true, IsReadOnly: true } field when IsPrimitive(field.Type):
                return StaticReadonly(field, expression);
            case IFieldSymbol field:
                return Fail(expression, "it reads the field '" + field.Name + "', which is "
                    + (field.IsStatic ? "static but not readonly" : "an instance field")
                    + ", so its value is not known at compile time; declare it 'const' (or 'static readonly' with a constant initializer)");
            case IPropertySymbol property:
                return Fail(expression, Tensor(expression, model) ?? "it reads the property '" + property.Name + "', whose value is not known at compile time; use a 'const' field");
            case ILocalSymbol local when IsTensorType(local.Type):
            case IParameterSymbol parameter when IsTensorType(parameter.Type):
                return Fail(expression, "it depends on the tensor '" + symbol.Name + "'");
            case ILocalSymbol local:
                return Fail(expression, "it reads the local '" + local.Name + "', whose value is not known at compile time at this point; declare it 'const'");
            default:
                return Fail(expression, "'" + expression + "' is not a compile-time constant");
        }
    }

    /// <summary>A <c>static readonly</c> field of primitive type: its initializer, folded.</summary>
    private object? StaticReadonly(IFieldSymbol field, ExpressionSyntax use)
    {
        TreesRead.NoteDeclarations(field);
        VariableDeclaratorSyntax? declarator = field.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax()).OfType<VariableDeclaratorSyntax>().FirstOrDefault();
        if (declarator?.Initializer is not { } initializer)
            return Fail(use, "it reads the static readonly field '" + field.Name + "', which has no initializer (a static constructor is not read); give it a constant initializer or declare it 'const'");
        if (!_folding.Add(field))
            return Fail(use, "the static readonly field '" + field.Name + "' is initialized from itself");
        try
        {
            object? saved = null;
            var outer = NotConstant;
            NotConstant = null;
            object? value = Fold(initializer.Value);
            if (value is null)
            {
                string reason = NotConstant?.Reason ?? "it is not a compile-time constant";
                NotConstant = outer;
                return Fail(use, "it reads the static readonly field '" + field.Name + "', whose initializer is not a compile-time constant (" + reason + ")");
            }
            NotConstant = outer;
            saved = ConvertTo(value, field.Type.SpecialType) ?? value;
            if (Model(initializer).GetConstantValue(initializer.Value).HasValue)
                _model.Report(DiagnosticDescriptors.ReadonlyCouldBeConst, declarator.GetLocation().ToInfo(), field.Name, field.Type.ToDisplayString());
            return saved;
        }
        finally
        {
            _folding.Remove(field);
        }
    }

    private object? Binary(BinaryExpressionSyntax binary)
    {
        SyntaxKind kind = binary.Kind();
        object? left = Fold(binary.Left);
        if (left is null) return null;
        if (kind == SyntaxKind.LogicalAndExpression || kind == SyntaxKind.LogicalOrExpression)
        {
            if (left is not bool l) return Fail(binary.Left, "'" + binary.OperatorToken.Text + "' of a number");
            if (kind == SyntaxKind.LogicalAndExpression && !l) return false;
            if (kind == SyntaxKind.LogicalOrExpression && l) return true;
            object? r = Fold(binary.Right);
            return r is null ? null : r is bool rb ? rb : Fail(binary.Right, "'" + binary.OperatorToken.Text + "' of a number");
        }
        object? right = Fold(binary.Right);
        if (right is null) return null;
        return Combine(binary, kind, binary.OperatorToken.Text, left, right);
    }

    /// <summary><c>left op right</c> for a compound assignment or a loop step (<c>i += 2</c>).</summary>
    public bool Combine(SyntaxKind kind, object left, object right, SyntaxNode culprit, out object value)
    {
        NotConstant = null;
        object? result = Combine(culprit, kind, kind.ToString(), left, right);
        value = result!;
        return result is not null;
    }

    /// <summary>A value converted to a local's type, as the assignment does.</summary>
    public bool ConvertTo(object value, SpecialType type, out object converted)
    {
        converted = ConvertTo(value, type) ?? value;
        return true;
    }

    private object? Combine(SyntaxNode binary, SyntaxKind kind, string operatorText, object left, object right)
    {
        if (left is bool lb && right is bool rb2)
        {
            return kind switch
            {
                SyntaxKind.EqualsExpression => lb == rb2,
                SyntaxKind.NotEqualsExpression => lb != rb2,
                SyntaxKind.ExclusiveOrExpression => lb ^ rb2,
                SyntaxKind.BitwiseAndExpression => lb & rb2,
                SyntaxKind.BitwiseOrExpression => lb | rb2,
                _ => Fail(binary, "'" + operatorText + "' of bools"),
            };
        }
        if (left is bool || right is bool)
            return Fail(binary, "'" + operatorText + "' of a bool and a number");

        // C#'s numeric promotion: double, then float, then long, then int.
        if (left is double || right is double)
            return Arithmetic(binary, kind, ToDouble(left), ToDouble(right), (a, b) => a + b, (a, b) => a - b, (a, b) => a * b, (a, b) => a / b, (a, b) => a % b);
        if (left is float || right is float)
            return Arithmetic(binary, kind, (float)ToDouble(left), (float)ToDouble(right), (a, b) => a + b, (a, b) => a - b, (a, b) => a * b, (a, b) => a / b, (a, b) => a % b);
        if (left is long || right is long)
        {
            long a = Convert.ToInt64(left, CultureInfo.InvariantCulture), b = Convert.ToInt64(right, CultureInfo.InvariantCulture);
            if ((kind is SyntaxKind.DivideExpression or SyntaxKind.ModuloExpression) && b == 0)
                return Fail(binary, "it divides by zero");
            return Arithmetic(binary, kind, a, b, (x, y) => unchecked(x + y), (x, y) => unchecked(x - y), (x, y) => unchecked(x * y), (x, y) => x / y, (x, y) => x % y);
        }
        int ia = (int)left, ib = (int)right;
        if ((kind is SyntaxKind.DivideExpression or SyntaxKind.ModuloExpression) && ib == 0)
            return Fail(binary, "it divides by zero");
        if (kind == SyntaxKind.DivideExpression && ia == int.MinValue && ib == -1)
            return Fail(binary, "it overflows int");
        return Arithmetic(binary, kind, ia, ib, (x, y) => unchecked(x + y), (x, y) => unchecked(x - y), (x, y) => unchecked(x * y), (x, y) => x / y, (x, y) => x % y);
    }

    private object? Arithmetic<T>(SyntaxNode binary, SyntaxKind kind, T a, T b,
        Func<T, T, T> add, Func<T, T, T> subtract, Func<T, T, T> multiply, Func<T, T, T> divide, Func<T, T, T> modulo)
        where T : IComparable<T>
    {
        return kind switch
        {
            SyntaxKind.AddExpression => add(a, b),
            SyntaxKind.SubtractExpression => subtract(a, b),
            SyntaxKind.MultiplyExpression => multiply(a, b),
            SyntaxKind.DivideExpression => divide(a, b),
            SyntaxKind.ModuloExpression => modulo(a, b),
            SyntaxKind.LessThanExpression => Compare(a, b) < 0,
            SyntaxKind.LessThanOrEqualExpression => Compare(a, b) <= 0 && !IsNaN(a, b),
            SyntaxKind.GreaterThanExpression => Compare(a, b) > 0 && !IsNaN(a, b),
            SyntaxKind.GreaterThanOrEqualExpression => Compare(a, b) >= 0 && !IsNaN(a, b),
            SyntaxKind.EqualsExpression => Compare(a, b) == 0 && !IsNaN(a, b),
            SyntaxKind.NotEqualsExpression => Compare(a, b) != 0 || IsNaN(a, b),
            _ => Fail(binary, "the operator is not folded (+ - * / % and comparisons are)"),
        };
    }

    private static int Compare<T>(T a, T b) where T : IComparable<T> => IsNaN(a, b) ? 1 : a.CompareTo(b);

    private static bool IsNaN<T>(T a, T b) =>
        (a is double da && double.IsNaN(da)) || (b is double db && double.IsNaN(db))
        || (a is float fa && float.IsNaN(fa)) || (b is float fb && float.IsNaN(fb));

    private static readonly string[] Folded =
    {
        "Sqrt", "Pow", "Exp", "Log", "Log2", "Log10", "Abs", "Max", "Min", "Floor", "Ceiling", "Round", "Truncate",
        "Sin", "Cos", "Tan", "Tanh", "Sinh", "Cosh", "Asin", "Acos", "Atan", "Atan2", "Sign",
    };

    /// <summary><c>Math.Sqrt(Width)</c>, <c>MathF.Pow(2, Depth)</c>: computed in double, rounded to float for MathF.</summary>
    private object? Call(InvocationExpressionSyntax invocation, SemanticModel model)
    {
        if (model.GetSymbolInfo(invocation).Symbol is not IMethodSymbol method)
            return Fail(invocation, "'" + invocation + "' is not a compile-time constant");
        string type = method.ContainingType.ToDisplayString();
        if (type is not ("System.Math" or "System.MathF"))
            return Fail(invocation, Tensor(invocation, model) ?? "it calls '" + method.ContainingType.Name + "." + method.Name + "', which is not folded at compile time (Math and MathF functions of constants are)");
        if (!Folded.Contains(method.Name) || invocation.ArgumentList.Arguments.Count != method.Parameters.Length
            || invocation.ArgumentList.Arguments.Count is 0 or > 2 || method.Parameters.Any(p => !IsPrimitive(p.Type)))
            return Fail(invocation, "'" + method.ContainingType.Name + "." + method.Name + "' with these arguments is not folded at compile time (" + string.Join(", ", Folded) + " of constants are)");
        var arguments = new List<object>();
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            object? argument = Fold(invocation.ArgumentList.Arguments[i].Expression);
            if (argument is null) return null;
            if (ConvertTo(argument, method.Parameters[i].Type.SpecialType) is not { } converted)
                return Fail(invocation.ArgumentList.Arguments[i], "the argument is not a number");
            arguments.Add(converted);
        }
        SpecialType result = method.ReturnType.SpecialType;
        if (result is SpecialType.System_Int32 or SpecialType.System_Int64)
        {
            // Math.Abs/Max/Min/Sign of integers stay integers.
            long a = Convert.ToInt64(arguments[0], CultureInfo.InvariantCulture);
            long b = arguments.Count > 1 ? Convert.ToInt64(arguments[1], CultureInfo.InvariantCulture) : 0;
            long? integer = method.Name switch
            {
                "Abs" => Math.Abs(a),
                "Max" => Math.Max(a, b),
                "Min" => Math.Min(a, b),
                "Sign" => Math.Sign(ToDouble(arguments[0])),
                _ => null,
            };
            if (integer is null) return Fail(invocation, "'" + method.Name + "' of integers is not folded");
            return ConvertTo(integer.Value, result);
        }
        double x = ToDouble(arguments[0]);
        double y = arguments.Count > 1 ? ToDouble(arguments[1]) : 0;
        double value = method.Name switch
        {
            "Sqrt" => Math.Sqrt(x),
            "Pow" => Math.Pow(x, y),
            "Exp" => Math.Exp(x),
            "Log" => arguments.Count == 2 ? Math.Log(x, y) : Math.Log(x),
            "Log2" => Math.Log(x) / Math.Log(2),
            "Log10" => Math.Log10(x),
            "Abs" => Math.Abs(x),
            "Max" => double.IsNaN(x) || double.IsNaN(y) ? double.NaN : Math.Max(x, y),
            "Min" => double.IsNaN(x) || double.IsNaN(y) ? double.NaN : Math.Min(x, y),
            "Floor" => Math.Floor(x),
            "Ceiling" => Math.Ceiling(x),
            "Round" => arguments.Count == 1 ? Math.Round(x) : double.NaN,
            "Truncate" => Math.Truncate(x),
            "Sin" => Math.Sin(x),
            "Cos" => Math.Cos(x),
            "Tan" => Math.Tan(x),
            "Tanh" => Math.Tanh(x),
            "Sinh" => Math.Sinh(x),
            "Cosh" => Math.Cosh(x),
            "Asin" => Math.Asin(x),
            "Acos" => Math.Acos(x),
            "Atan" => Math.Atan(x),
            "Atan2" => Math.Atan2(x, y),
            "Sign" => Math.Sign(x),
            _ => double.NaN,
        };
        if (method.Name == "Round" && arguments.Count != 1)
            return Fail(invocation, "'Round' with a precision or a rounding mode is not folded");
        return ConvertTo(value, result) ?? value;
    }

    /// <summary>"it depends on the tensor 'x'" when the expression reads a Tensor, Label or Tokens; else null.</summary>
    public string? Tensor(SyntaxNode expression, SemanticModel model)
    {
        foreach (IdentifierNameSyntax name in expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            ISymbol? symbol = model.GetSymbolInfo(name).Symbol;
            ITypeSymbol? type = symbol switch
            {
                ILocalSymbol l => l.Type,
                IParameterSymbol p => p.Type,
                IFieldSymbol f => f.Type,
                IPropertySymbol p => p.Type,
                _ => null,
            };
            if (type is not null && IsTensorType(type))
                return "it depends on the " + (ModelParser.IsType(type, KnownNames.Tensor) ? "tensor" : type.Name) + " '" + name.Identifier.Text + "', whose values are known only when the program runs";
        }
        return null;
    }

    public static bool IsTensorType(ITypeSymbol type) =>
        ModelParser.IsType(type, KnownNames.Tensor) || ModelParser.IsType(type, KnownNames.Label) || ModelParser.IsType(type, KnownNames.Tokens);

    public static bool IsPrimitive(ITypeSymbol type) => type.SpecialType is SpecialType.System_Boolean
        or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16
        or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64
        or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Char;

    /// <summary>A constant as one of bool, int, long, float, double; null for strings, decimals, null.</summary>
    private static object? Normalize(object? value) => value switch
    {
        bool or int or long or float or double => value,
        byte or sbyte or short or ushort or char => Convert.ToInt32(value, CultureInfo.InvariantCulture),
        uint u => (long)u,
        _ => null,
    };

    private static object? ConvertTo(object value, SpecialType type)
    {
        if (value is bool b)
            return type == SpecialType.System_Boolean ? b : null;
        double d = ToDouble(value);
        return type switch
        {
            SpecialType.System_Double => d,
            SpecialType.System_Single => value is float f ? f : (float)d,
            SpecialType.System_Int32 or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Char
                => value is int i ? i : value is long l ? unchecked((int)l) : (int)d,
            SpecialType.System_Int64 or SpecialType.System_UInt32 => value is long l2 ? l2 : value is int i2 ? i2 : (long)d,
            _ => null,
        };
    }

    public static double ToDouble(object value) => value switch
    {
        bool b => b ? 1 : 0,
        int i => i,
        long l => l,
        float f => f,
        double d => d,
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };
}
