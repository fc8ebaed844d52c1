using System;

namespace Dsl.Generator.Autodiff.Functions;

/// <summary>
/// Forward mode met a call of a function that has a [CustomVjp] rule but no [CustomJvp] one, which
/// it cannot differentiate (JAX refuses the same); the parser reports it as DSL0213.
/// </summary>
internal sealed class MissingJvpRule : Exception
{
    public MissingJvpRule(string function)
        : base("forward mode through " + function + ", which has only a reverse-mode rule") =>
        Function = function;

    /// <summary>The function's C# name, as the call names it.</summary>
    public string Function { get; }
}
