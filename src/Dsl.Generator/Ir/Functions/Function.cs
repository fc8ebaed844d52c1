using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;

namespace Dsl.Generator.Ir.Functions;

/// <summary>
/// A scalar function of the JAX-style transforms, as the parser reads a [Differentiable] body or a
/// transform writes a derived one: typed variables, structured statements, and every expression a
/// node of one <see cref="Graph"/> (the same IR, rules and simplifier as the models). Statements
/// refer to nodes by id; a <see cref="OpKind.Variable"/> node reads a variable where the statement
/// runs. Value-equal throughout, so it flows through the incremental pipeline.
/// </summary>
/// <param name="Name">The C# name of the function.</param>
/// <param name="Parameters">The parameters in order; each names a <see cref="Variables"/> entry.</param>
/// <param name="Results">The variables returned, in order (one, or a tuple's elements).</param>
/// <param name="Layout">How <see cref="Results"/> nest as C# tuples (see <see cref="ResultLayout"/>).</param>
/// <param name="Rules">The custom derivative rules of the functions this one calls as <see cref="OpKind.Call"/> nodes.</param>
/// <param name="ParameterGroups">The C# parameters over <see cref="Parameters"/>, in order: a tuple parameter's leaves are consecutive parameters.</param>
internal sealed record Function(
    string Name,
    EquatableArray<string> Parameters,
    EquatableArray<Variable> Variables,
    Block Body,
    EquatableArray<string> Results,
    Graph Nodes,
    string Layout,
    EquatableArray<CustomRule> Rules,
    EquatableArray<ParameterGroup> ParameterGroups)
{
    public Variable this[string name] => Variables.First(v => v.Name == name);

    public bool IsArray(string name) => this[name].IsArray;

    /// <summary>The parameters a C# parameter stands for: itself, or a tuple's leaves.</summary>
    public IReadOnlyList<string> LeavesOf(ParameterGroup group)
    {
        int start = 0;
        foreach (ParameterGroup g in ParameterGroups)
        {
            if (g == group) break;
            start += ResultLayout.Count(g.Layout);
        }
        return Parameters.Skip(start).Take(ResultLayout.Count(group.Layout)).ToList();
    }
}

/// <summary>A C# parameter of a function: its name and how its IR parameters nest (<c>.</c>, or a tuple's <see cref="ResultLayout"/>).</summary>
internal sealed record ParameterGroup(string Name, string Layout);

/// <summary>A scalar, a one-dimensional array, or reverse mode's tape (a stack) of a function.</summary>
internal sealed record Variable(string Name, DType Type, bool IsArray, bool IsTape = false)
{
    /// <summary>The C# type: <c>double</c>, <c>float[]</c>, <c>int</c>, <c>Stack&lt;double&gt;</c>.</summary>
    public string TypeName => IsTape ? "global::System.Collections.Generic.Stack<" + Types.CSharp(Type) + ">"
        : Types.CSharp(Type) + (IsArray ? "[]" : "");
}

/// <summary>A sequence of statements, one C# scope.</summary>
internal sealed record Block(EquatableArray<Statement> Statements)
{
    public static readonly Block Empty = new(EquatableArray<Statement>.Empty);
}

/// <summary>One statement of a function; <see cref="Source"/> is the user's line it came from.</summary>
internal abstract record Statement(LocationInfo? Source);

/// <summary><c>double v = e;</c> the first definition of a scalar in its scope.</summary>
internal sealed record Declare(string Target, int Value, LocationInfo? Source = null) : Statement(Source);

/// <summary><c>v = e;</c> an overwrite of a scalar declared earlier (a loop's accumulator).</summary>
internal sealed record Assign(string Target, int Value, LocationInfo? Source = null) : Statement(Source);

/// <summary><c>var a = new double[n];</c></summary>
internal sealed record Allocate(string Target, int Length, LocationInfo? Source = null) : Statement(Source);

/// <summary><c>a[i] = e;</c>, or <c>a[i] += e;</c> when <see cref="Accumulate"/>.</summary>
internal sealed record Store(string Target, int Index, int Value, bool Accumulate, LocationInfo? Source = null) : Statement(Source);

/// <summary><c>if (c) { ... } else { ... }</c> on a bool variable's node.</summary>
internal sealed record If(int Condition, Block Then, Block Else, LocationInfo? Source = null) : Statement(Source);

/// <summary>
/// <c>for (int i = start; i &lt; end; i++)</c>, or from <c>end − 1</c> down to <c>start</c> when
/// <see cref="Descending"/> (how reverse mode walks a loop back).
/// </summary>
internal sealed record For(string Index, int Start, int End, bool Descending, Block Body, LocationInfo? Source = null) : Statement(Source);

/// <summary><c>tape.Push(v);</c>: reverse mode saving a value a loop is about to overwrite.</summary>
internal sealed record Push(string Tape, int Value, LocationInfo? Source = null) : Statement(Source);

/// <summary><c>v = tape.Pop();</c>: reverse mode restoring a saved value.</summary>
internal sealed record Pop(string Tape, string Target, LocationInfo? Source = null) : Statement(Source);
