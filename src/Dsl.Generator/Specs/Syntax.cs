using Dsl.Generator.Common;

namespace Dsl.Generator.Specs;

// The syntax-free tree of a model method's body. The parser resolves every name with the semantic
// model before building it, so a call already says whether it targets an op, a layer or a method.

/// <summary>A statement of a model method.</summary>
internal abstract record Statement(LocationInfo? Location);

/// <summary><c>var name = value;</c> or <c>name = value;</c> (both rebind the name).</summary>
internal sealed record AssignStatement(string Name, Expression Value, LocationInfo? Location) : Statement(Location);

/// <summary><c>return value;</c>, or <c>return;</c> when <see cref="Value"/> is null.</summary>
internal sealed record ReturnStatement(Expression? Value, LocationInfo? Location) : Statement(Location);

/// <summary><c>Log("name", value);</c>: Lightning's <c>self.log</c>.</summary>
internal sealed record LogStatement(string MetricName, Expression Value, LocationInfo? Location) : Statement(Location);

/// <summary>
/// <c>var (logits, aux) = Forward(x);</c> or <c>(a, b) = e;</c>: each name rebound to its element
/// of a tuple; an empty name is a discard (<c>_</c>).
/// </summary>
internal sealed record DeconstructStatement(EquatableArray<string> Names, Expression Value, LocationInfo? Location) : Statement(Location);

/// <summary>A call whose value is unused, such as a void model method.</summary>
internal sealed record ExpressionStatement(Expression Value, LocationInfo? Location) : Statement(Location);

/// <summary>An expression of a model method.</summary>
internal abstract record Expression(LocationInfo? Location);

/// <summary>A parameter or local of the current method.</summary>
internal sealed record NameExpression(string Name, LocationInfo? Location) : Expression(Location);

/// <summary>A numeric compile-time constant (a literal or a <c>const</c>).</summary>
internal sealed record ConstantExpression(double Value, LocationInfo? Location) : Expression(Location);

internal enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
}

internal sealed record BinaryExpression(BinaryOperator Operator, Expression Left, Expression Right, LocationInfo? Location) : Expression(Location);

/// <summary>Unary minus.</summary>
internal sealed record NegateExpression(Expression Operand, LocationInfo? Location) : Expression(Location);

/// <summary><c>parts[2]</c>: a part of a Split or Chunk, by a constant index.</summary>
internal sealed record IndexExpression(Expression Target, int Index, LocationInfo? Location) : Expression(Location);

/// <summary><c>(logits, aux)</c>: the tuple a method with several outputs returns.</summary>
internal sealed record TupleExpression(EquatableArray<Expression> Elements, LocationInfo? Location) : Expression(Location);

/// <summary><c>heads.aux</c> or <c>heads.Item2</c>: one element of a tuple, by its position.</summary>
internal sealed record TupleElementExpression(Expression Target, int Index, LocationInfo? Location) : Expression(Location);

/// <summary>What a call resolved to.</summary>
internal enum CallTarget
{
    /// <summary>A static method of <c>Dsl.Ops</c>, by name.</summary>
    Op,

    /// <summary>One of the model's layer methods.</summary>
    Layer,

    /// <summary>Another model method, inlined.</summary>
    Method,
}

/// <summary>An expression the parser already reported; lowering passes it on silently.</summary>
internal sealed record ErrorExpression(LocationInfo? Location) : Expression(Location);

internal sealed record CallExpression(CallTarget Target, string Name, EquatableArray<Expression> Arguments, LocationInfo? Location) : Expression(Location);
