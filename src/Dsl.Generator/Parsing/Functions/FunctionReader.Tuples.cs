using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generator.Parsing.Functions;

// Tuples: the IR has no tuple values, so a tuple is its leaves (scalars and arrays) in order,
// depth first. A tuple local is the list of variables holding its leaves; returning, deconstructing
// or reading an element of a tuple works on that list.
internal sealed partial class FunctionReader
{
    /// <summary>One leaf of a value: a node for a scalar, or the variable of an array.</summary>
    private readonly record struct Value(int? Node, string? Array);

    /// <summary>The variables holding each tuple local's leaves; nothing writes them after the declaration.</summary>
    private readonly Dictionary<ISymbol, List<string>> _tuples = new(SymbolEqualityComparer.Default);

    /// <summary>The leaves of <paramref name="e"/> seen as a <paramref name="type"/> (one for a scalar or an array).</summary>
    private IReadOnlyList<Value> Values(ExpressionSyntax e, ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol { IsTupleType: true } tuple)
            return new[] { IsArrayType(type) ? new Value(null, Array(e)) : new Value(Expression(e), null) };
        if (e is ParenthesizedExpressionSyntax p)
            return Values(p.Expression, type);
        if (e is TupleExpressionSyntax literal)
            return literal.Arguments.SelectMany((a, k) => Values(a.Expression, tuple.TupleElements[k].Type)).ToList();
        if (e is ConditionalExpressionSyntax choice)
            return Choose(choice, type);
        return TupleVariables(e).Select(n => _b[n].IsArray ? new Value(null, n) : new Value(_b.Read(n), null)).ToList();
    }

    /// <summary><c>c ? (a, b) : (d, e)</c>: each scalar leaf chosen by the condition (arrays cannot be chosen between).</summary>
    private IReadOnlyList<Value> Choose(ConditionalExpressionSyntax choice, ITypeSymbol type)
    {
        int condition = Expression(choice.Condition);
        IReadOnlyList<Value> whenTrue = Values(choice.WhenTrue, type), whenFalse = Values(choice.WhenFalse, type);
        var chosen = new List<Value>();
        for (int k = 0; k < whenTrue.Count; k++)
        {
            if (whenTrue[k].Array is { } a)
            {
                if (whenFalse[k].Array != a)
                    throw Unsupported(choice, "Choosing between arrays", "fill one array in an if/else and return it");
                chosen.Add(whenTrue[k]);
                continue;
            }
            int t = whenTrue[k].Node!.Value, f = _b.Nodes.Convert(whenFalse[k].Node!.Value, _b.Nodes[t].Type);
            chosen.Add(new Value(_b.Nodes.Select(condition, t, f), null));
        }
        return chosen;
    }

    /// <summary>The variables holding the leaves of a tuple-typed expression.</summary>
    private List<string> TupleVariables(ExpressionSyntax e)
    {
        switch (e)
        {
            case ParenthesizedExpressionSyntax p:
                return TupleVariables(p.Expression);
            case IdentifierNameSyntax when _model.GetSymbolInfo(e).Symbol is { } symbol && _tuples.TryGetValue(symbol, out List<string>? names):
                return names;
            case InvocationExpressionSyntax call when _model.GetSymbolInfo(call).Symbol is IMethodSymbol method
                && method.ContainingType.ToDisplayString() is not ("System.Math" or "System.MathF"):
                return Inline(call, method, call.ArgumentList.Arguments.Select(a => a.Expression).ToList()).ToList();
            case MemberAccessExpressionSyntax member when TupleElement(member) is (int start, int count):
                return TupleVariables(member.Expression).GetRange(start, count);
            case TupleExpressionSyntax literal:
                return Materialize(Values(literal, _model.GetTypeInfo(literal).ConvertedType ?? _model.GetTypeInfo(literal).Type!), "item");
        }
        throw Unsupported(e, "The tuple '" + e + "'", "use a tuple literal, a call that returns a tuple, or a tuple local");
    }

    /// <summary>
    /// Which leaves <c>t.Name</c> (or <c>t.Item2</c>) picks out of the tuple <c>t</c>: the first and
    /// how many; null when it is not a tuple element.
    /// </summary>
    private (int Start, int Count)? TupleElement(MemberAccessExpressionSyntax member)
    {
        if (_model.GetTypeInfo(member.Expression).Type is not INamedTypeSymbol { IsTupleType: true } tuple
            || _model.GetSymbolInfo(member).Symbol is not IFieldSymbol field)
            return null;
        int start = 0;
        foreach (IFieldSymbol element in tuple.TupleElements)
        {
            if (SymbolEqualityComparer.Default.Equals(element.CorrespondingTupleField, field.CorrespondingTupleField))
                return (start, FunctionTypes.LeafCount(element.Type));
            start += FunctionTypes.LeafCount(element.Type);
        }
        return null;
    }

    /// <summary>Scalars held in fresh locals (a tuple keeps the values it was made with), arrays as they are.</summary>
    private List<string> Materialize(IReadOnlyList<Value> values, string stem)
    {
        var names = new List<string>();
        foreach (Value v in values)
        {
            if (v.Array is { } array) { names.Add(array); continue; }
            string local = _b.Fresh(stem, _b.Nodes[v.Node!.Value].Type);
            _current.Add(new Declare(local, v.Node!.Value));
            names.Add(local);
        }
        return names;
    }

    /// <summary><c>var t = F(x);</c> or <c>var t = (a, b);</c>: a tuple local is the variables of its leaves.</summary>
    private void DeclareTuple(ILocalSymbol symbol, VariableDeclaratorSyntax v)
    {
        if (v.Initializer?.Value is not { } init)
            throw Unsupported(v, "A tuple local without a value", "write 'var t = F(x);'");
        _tuples[symbol] = Materialize(Values(init, symbol.Type), symbol.Name);
    }

    /// <summary>One place a deconstruction writes: a new local, an existing scalar, or a discard (both null).</summary>
    private readonly record struct Target(ILocalSymbol? Declared, string? Existing, int Leaves);

    /// <summary>
    /// <c>var (a, g) = F(x);</c>, <c>(double a, double[] g) = F(x);</c> or <c>(a, b) = (b, a);</c>:
    /// each target takes its leaves of the right-hand side, evaluated first as C# does.
    /// </summary>
    private void Deconstruct(AssignmentExpressionSyntax a)
    {
        ITypeSymbol type = _model.GetTypeInfo(a.Right).Type ?? _model.GetTypeInfo(a.Left).Type!;
        var targets = new List<Target>();
        Targets(a.Left, type, targets);
        IReadOnlyList<Value> values = Values(a.Right, type);
        // Scalars read before any is written, so '(a, b) = (b, a)' swaps.
        if (targets.Any(t => t.Existing is not null))
            values = Materialize(values, "item").Select(n => _b[n].IsArray ? new Value(null, n) : new Value(_b.Read(n), null)).ToList();

        int next = 0;
        foreach (Target t in targets)
        {
            IReadOnlyList<Value> mine = values.Skip(next).Take(t.Leaves).ToList();
            next += t.Leaves;
            if (t.Existing is { } existing)
                _current.Add(new Assign(existing, _b.Nodes.Convert(mine[0].Node!.Value, _b[existing].Type), Where(a)));
            else if (t.Declared is { } local && FunctionTypes.IsTuple(local.Type))
                _tuples[local] = Materialize(mine, local.Name);
            else if (t.Declared is { } scalarOrArray)
                Bind(scalarOrArray, mine[0], a);
        }
    }

    /// <summary>A new local takes a value: an array by reference, a scalar in a variable of its own.</summary>
    private void Bind(ILocalSymbol local, Value value, SyntaxNode at)
    {
        if (value.Array is { } array)
        {
            _names[local] = array;
            return;
        }
        if (FunctionTypes.Of(local.Type) is not var (type, _))
            throw new FunctionSyntaxError(Diagnostics.DiagnosticDescriptors.UnsupportedParameterType, at, local.Name, local.Type.ToDisplayString());
        string name = _b.Fresh(local.Name, type);
        _names[local] = name;
        _current.Add(new Declare(name, _b.Nodes.Convert(value.Node!.Value, type), Where(at)));
    }

    /// <summary>The targets of a deconstruction's left side, each matched with its part of the right side's type.</summary>
    private void Targets(ExpressionSyntax left, ITypeSymbol type, List<Target> targets)
    {
        switch (left)
        {
            case DeclarationExpressionSyntax declaration:
                Designations(declaration.Designation, type, targets);
                break;
            case TupleExpressionSyntax tuple when type is INamedTypeSymbol { IsTupleType: true } parts:
                for (int k = 0; k < tuple.Arguments.Count; k++) Targets(tuple.Arguments[k].Expression, parts.TupleElements[k].Type, targets);
                break;
            case IdentifierNameSyntax when _model.GetSymbolInfo(left).Symbol is IDiscardSymbol:
                targets.Add(new Target(null, null, FunctionTypes.LeafCount(type)));
                break;
            case IdentifierNameSyntax when !FunctionTypes.IsTuple(type):
                targets.Add(new Target(null, ScalarTarget(left), 1));
                break;
            default:
                throw Unsupported(left, "Deconstructing into '" + left + "'", "deconstruct into new locals, existing scalar locals or discards");
        }
    }

    private void Designations(VariableDesignationSyntax designation, ITypeSymbol type, List<Target> targets)
    {
        switch (designation)
        {
            case ParenthesizedVariableDesignationSyntax nested when type is INamedTypeSymbol { IsTupleType: true } parts:
                for (int k = 0; k < nested.Variables.Count; k++) Designations(nested.Variables[k], parts.TupleElements[k].Type, targets);
                break;
            case SingleVariableDesignationSyntax single when _model.GetDeclaredSymbol(single) is ILocalSymbol local:
                targets.Add(new Target(local, null, FunctionTypes.LeafCount(type)));
                break;
            case DiscardDesignationSyntax:
                targets.Add(new Target(null, null, FunctionTypes.LeafCount(type)));
                break;
            default:
                throw Unsupported(designation, "'" + designation + "'", "deconstruct into new locals, existing scalar locals or discards");
        }
    }

    private static bool IsArrayType(ITypeSymbol type) => FunctionTypes.Of(type) is (_, true);
}
