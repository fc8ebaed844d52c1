using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;
using Dsl.Generator.Ir.Functions;

namespace Dsl.Generator.Emit.CSharp.Functions;

/// <summary>
/// Writes a scalar function's node as a C# expression, with only the parentheses C#'s precedence
/// needs; <c>Math</c> or <c>MathF</c> by the node's type.
/// </summary>
internal sealed class ScalarExpression
{
    private const int Conditional = 1, Or = 2, And = 3, Equality = 4, Relational = 5, Additive = 6, Multiplicative = 7, Unary = 8, Primary = 9;

    private readonly Graph _nodes;
    private readonly Func<string, string> _name;
    private readonly string _ownType;

    /// <param name="ownType">The qualified name of the type the code is written into, with a trailing dot:
    /// calls of its own functions drop it (<c>SafeLog(x)</c>, not <c>global::Samples.Calculus.SafeLog(x)</c>).</param>
    public ScalarExpression(Graph nodes, Func<string, string> name, string ownType = "")
    {
        _nodes = nodes;
        _name = name;
        _ownType = ownType;
    }

    public string Write(int id) => Write(id, 0);

    private string Write(int id, int context)
    {
        Node n = _nodes[id];
        (string text, int precedence) = Format(n);
        return precedence < context ? "(" + text + ")" : text;
    }

    private (string Text, int Precedence) Format(Node n)
    {
        string In(int i, int context) => Write(n.Inputs[i], context);
        string Args() => string.Join(", ", n.Inputs.Select(i => Write(i, 0)));
        string Math(string function) => (n.Type == DType.F32 || _nodes[n.Inputs[0]].Type == DType.F32 ? "global::System.MathF." : "global::System.Math.") + function + "(" + Args() + ")";
        (string, int) Infix(string op, int precedence) => (In(0, precedence) + " " + op + " " + In(1, precedence + 1), precedence);

        return n.Op switch
        {
            OpKind.Constant => Constant(n.Constant, n.Type),
            OpKind.Variable => (_name(n.Name!), Primary),
            OpKind.Length => (_name(n.Name!) + ".Length", Primary),
            OpKind.Load => (_name(n.Name!) + "[" + In(0, 0) + "]", Primary),
            OpKind.Convert => ("(" + Types.CSharp(n.Type) + ")" + In(0, Unary), Unary),
            OpKind.Negate when _nodes[n.Inputs[0]] is { Op: OpKind.Multiply or OpKind.Divide } product && !Write(product.Inputs[0], Unary).StartsWith("-", StringComparison.Ordinal)
                => NegatedProduct(product),
            OpKind.Negate => ("-" + In(0, Unary), Unary),
            OpKind.Not => ("!" + In(0, Unary), Unary),
            OpKind.Add => Infix("+", Additive),
            OpKind.Subtract => Infix("-", Additive),
            OpKind.Multiply => Infix("*", Multiplicative),
            OpKind.Divide => Infix("/", Multiplicative),
            OpKind.Remainder => Infix("%", Multiplicative),
            OpKind.Less => Infix("<", Relational),
            OpKind.LessEqual => Infix("<=", Relational),
            OpKind.Greater => Infix(">", Relational),
            OpKind.GreaterEqual => Infix(">=", Relational),
            OpKind.Equal => Infix("==", Equality),
            OpKind.NotEqual => Infix("!=", Equality),
            OpKind.And => Infix("&&", And),
            OpKind.Or => Infix("||", Or),
            OpKind.Call => (Callee(n.Name!) + "(" + Args() + ")", Primary),
            OpKind.Select => (In(0, Or) + " ? " + In(1, Conditional) + " : " + In(2, Conditional), Conditional),
            OpKind.Sigmoid => (Literal(1, n.Type) + " / (" + Literal(1, n.Type) + " + " + (n.Type == DType.F32 ? "global::System.MathF" : "global::System.Math") + ".Exp(-" + In(0, Unary) + "))", Multiplicative),
            OpKind.Exp or OpKind.Log or OpKind.Tanh or OpKind.Sin or OpKind.Cos or OpKind.Tan or OpKind.Asin or OpKind.Acos
                or OpKind.Atan or OpKind.Sinh or OpKind.Cosh or OpKind.Sqrt or OpKind.Abs or OpKind.Log10 or OpKind.Sign
                or OpKind.Floor or OpKind.Ceiling or OpKind.Round or OpKind.Pow or OpKind.Atan2 or OpKind.Max or OpKind.Min
                => (Math(n.Op.ToString()), Primary),
            _ => throw new InvalidOperationException($"no C# for {n}"),
        };
    }

    private string Callee(string function) =>
        _ownType.Length > 0 && function.StartsWith(_ownType, StringComparison.Ordinal) && function.IndexOf('.', _ownType.Length) < 0
            ? function.Substring(_ownType.Length) : function;

    /// <summary><c>−(a · b)</c> as <c>-a * b</c>: the same value, exactly, without the parentheses (not for an a that starts with a minus: <c>--</c>).</summary>
    private (string, int) NegatedProduct(Node product) =>
        ("-" + Write(product.Inputs[0], Unary) + (product.Op == OpKind.Multiply ? " * " : " / ") + Write(product.Inputs[1], Multiplicative + 1), Multiplicative);

    private static (string, int) Constant(double value, DType type)
    {
        string text = type switch
        {
            DType.Bool => value != 0 ? "true" : "false",
            DType.I32 => Literals.Int((int)value),
            _ => Literal(value, type),
        };
        return (text, text.StartsWith("-", StringComparison.Ordinal) ? Unary : Primary);
    }

    /// <summary>A double as <c>2</c> or <c>0.5</c> (C# converts the int), a float as <c>2f</c>.</summary>
    public static string Literal(double value, DType type)
    {
        if (type == DType.F32) return Literals.Float(value);
        if (double.IsNaN(value)) return "double.NaN";
        if (double.IsInfinity(value)) return value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
        return Literals.Number(value);
    }
}
