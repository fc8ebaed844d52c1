namespace Dsl.Generator.Lowering;

/// <summary>What a name or expression stands for while a method body is lowered.</summary>
internal abstract record Value;

/// <summary>A float tensor: an IR node.</summary>
internal sealed record TensorValue(int Node) : Value;

/// <summary>A per-example class index: an IR node of type i32.</summary>
internal sealed record LabelValue(int Node) : Value;

/// <summary>A sequence of int token ids per example, [T]: an IR node of type i32.</summary>
internal sealed record TokensValue(int Node) : Value;

/// <summary>The parts of a <c>Split</c> or <c>Chunk</c>, which the user indexes with constants.</summary>
internal sealed record PartsValue(System.Collections.Generic.IReadOnlyList<int> Parts) : Value;

/// <summary>An entry point's Tokens parameter without [Shape]; it becomes an input once a use fixes its length.</summary>
internal sealed record PendingTokens(string Name) : Value;

/// <summary><c>Arange(n)</c>: the positions 0 .. n − 1, a compile-time constant.</summary>
internal sealed record ArangeValue(int Length) : Value;

/// <summary>An entry point's Tensor parameter without [Shape]; it becomes an input once a use fixes its shape.</summary>
internal sealed record PendingInput(string Name) : Value;

/// <summary>The tuple a method with several outputs returns (<c>return (logits, aux);</c>), deconstructed by its caller.</summary>
internal sealed record TupleValue(System.Collections.Generic.IReadOnlyList<Value> Elements) : Value;

/// <summary>The value of an expression that already failed with a diagnostic; uses of it stay silent.</summary>
internal sealed record ErrorValue : Value
{
    public static readonly ErrorValue Instance = new();
}
