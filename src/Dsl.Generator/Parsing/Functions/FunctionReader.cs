using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;
using Dsl.Generator.Ir.Functions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generator.Parsing.Functions;

/// <summary>Reported by the reader at the user's syntax; becomes a DSL02xx diagnostic.</summary>
internal sealed class FunctionSyntaxError : Exception
{
    public FunctionSyntaxError(Diagnostics.DslDiagnosticDescriptor descriptor, SyntaxNode at, params object[] arguments)
        : base(descriptor.Id)
    {
        Descriptor = descriptor;
        Location = at.GetLocation();
        Arguments = arguments;
    }

    public Diagnostics.DslDiagnosticDescriptor Descriptor { get; }

    public Location Location { get; }

    public object[] Arguments { get; }

    /// <summary>
    /// Set when the problem is another declaration's, which another pipeline reports (a broken
    /// custom rule): the derived method then gets a throwing body and no diagnostic of its own.
    /// </summary>
    public bool ReportedElsewhere { get; init; }
}

/// <summary>
/// Reads the body of one [Differentiable] method into a <see cref="Function"/>: each C# local
/// becomes a uniquely named variable, each expression nodes of the function's graph (with the
/// conversions the semantic model says C# makes), each statement an IR statement. Early returns
/// become if/else; calls of other differentiable or derived functions are inlined.
/// </summary>
internal sealed partial class FunctionReader
{
    private readonly FunctionLibrary _library;
    private readonly SemanticModel _model;
    private readonly FunctionBuilder _b = new();
    private readonly Dictionary<ISymbol, string> _names = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> _written = new();
    private readonly List<Statement> _preamble = new();
    private List<Statement> _current = new();
    private int _statement;

    private FunctionReader(FunctionLibrary library, SemanticModel model)
    {
        _library = library;
        _model = model;
    }

    public static Function Read(FunctionLibrary library, IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel model)
    {
        var reader = new FunctionReader(library, model);
        return reader.ReadMethod(method, syntax);
    }

    private Function ReadMethod(IMethodSymbol method, MethodDeclarationSyntax syntax)
    {
        var parameters = new List<string>();
        var groups = new List<ParameterGroup>();
        foreach (IParameterSymbol p in method.Parameters)
        {
            if (FunctionTypes.Flatten(p.Type, p.Name) is not var (parameterLeaves, parameterLayout) || p.RefKind is RefKind.Ref or RefKind.Out)
                throw new FunctionSyntaxError(Diagnostics.DiagnosticDescriptors.UnsupportedParameterType, syntax.ParameterList, p.Name, p.Type.ToDisplayString());
            groups.Add(new ParameterGroup(p.Name, parameterLayout));
            if (FunctionTypes.IsTuple(p.Type))
            {
                // A tuple parameter is a parameter per leaf: (double X, double Y) p is p_x and p_y.
                var names = parameterLeaves.Select(l => _b.Fresh(l.Name.StartsWith(p.Name + "_", StringComparison.Ordinal) ? l.Name : p.Name + "_" + l.Name, l.Type, l.IsArray)).ToList();
                _tuples[p] = names;
                parameters.AddRange(names);
                continue;
            }
            _names[p] = _b.Fresh(p.Name, parameterLeaves[0].Type, parameterLeaves[0].IsArray);
            parameters.Add(_names[p]);
        }
        if (FunctionTypes.Flatten(method.ReturnType, "result") is not var (leaves, layout))
            throw new FunctionSyntaxError(Diagnostics.DiagnosticDescriptors.UnsupportedParameterType, syntax.ReturnType, method.Name, method.ReturnType.ToDisplayString());
        _results = leaves;
        _resultNames = new string?[leaves.Count];

        if (syntax.ExpressionBody is { } arrow)
            Return(arrow.Expression, declare: true);
        else if (syntax.Body is { } body)
            _current.AddRange(ReadStatements(body.Statements, 0, declare: true));
        else
            throw new FunctionSyntaxError(Diagnostics.DiagnosticDescriptors.UnsupportedFunctionSyntax, syntax, "A method without a body", "write the function's body");

        var results = Enumerable.Range(0, leaves.Count).Select(ResultName).ToList();
        Block block = new(_preamble.Concat(_current).ToEquatableArray());
        return _b.Build(method.Name, parameters, block, results, layout, groups);
    }

    /// <summary>The function's results: one, or a tuple's elements depth first.</summary>
    private List<FunctionTypes.Leaf> _results = new();

    /// <summary>The variable of each result, made on the first return (an array result is the array returned).</summary>
    private string?[] _resultNames = System.Array.Empty<string?>();

    private string ResultName(int leaf) =>
        _resultNames[leaf] ??= _b.Fresh(_results[leaf].Name, _results[leaf].Type, _results[leaf].IsArray);

    // ---- Statements ----

    /// <summary>
    /// The statements from <paramref name="start"/> on. An <c>if</c> whose branch returns takes
    /// the statements after it as its other branch, so every path ends in one assignment of the result.
    /// </summary>
    private List<Statement> ReadStatements(IReadOnlyList<StatementSyntax> statements, int start, bool declare)
    {
        List<Statement> outer = _current;
        var list = new List<Statement>();
        _current = list;
        try
        {
            for (int i = start; i < statements.Count; i++)
            {
                StatementSyntax s = statements[i];
                switch (s)
                {
                    case ReturnStatementSyntax ret when ret.Expression is { } value:
                        Return(value, declare);
                        return list;
                    case IfStatementSyntax ifs when Returns(ifs.Statement) || (ifs.Else is { } e && Returns(e.Statement)):
                        int condition = Condition(ifs.Condition);
                        Block then = Branch(ifs.Statement, statements, i + 1);
                        Block otherwise = ifs.Else is { } elseClause
                            ? Branch(elseClause.Statement, statements, i + 1)
                            : new Block(ReadStatements(statements, i + 1, declare: false).ToEquatableArray());
                        if (declare)
                            list.InsertRange(0, Enumerable.Range(0, _results.Count).Where(r => !_results[r].IsArray)
                                .Select(r => new Declare(ResultName(r), _b.Nodes.Constant(0, _results[r].Type), Where(s))));
                        list.Add(new If(condition, then, otherwise, Where(s)));
                        return list;
                    default:
                        ReadStatement(s);
                        break;
                }
            }
            throw new FunctionSyntaxError(Diagnostics.DiagnosticDescriptors.UnsupportedFunctionSyntax,
                statements.Count > 0 ? statements[statements.Count - 1] : (SyntaxNode)_model.SyntaxTree.GetRoot(), "A path without a return", "every path must end in 'return value;'");
        }
        finally
        {
            _current = outer;
        }
    }

    /// <summary>A branch that returns, or that falls through into the statements after the if.</summary>
    private Block Branch(StatementSyntax branch, IReadOnlyList<StatementSyntax> rest, int next)
    {
        var statements = branch is BlockSyntax b ? b.Statements.ToList() : new List<StatementSyntax> { branch };
        if (!Returns(branch))
            statements.AddRange(rest.Skip(next));
        return new Block(ReadStatements(statements, 0, declare: false).ToEquatableArray());
    }

    private static bool Returns(StatementSyntax s) => s switch
    {
        ReturnStatementSyntax => true,
        BlockSyntax b => b.Statements.Count > 0 && Returns(b.Statements.Last()),
        IfStatementSyntax i => i.Else is { } e && Returns(i.Statement) && Returns(e.Statement),
        _ => false,
    };

    /// <summary>
    /// Assigns a returned value to the results: each scalar of it (a tuple's elements one by one)
    /// to its result variable; an array result is the array itself (no copy, and reverse mode
    /// seeds its adjoint), so every path must return the same array.
    /// </summary>
    private void Return(ExpressionSyntax value, bool declare)
    {
        IReadOnlyList<Value> values = Values(value, _model.GetTypeInfo(value).ConvertedType ?? _model.GetTypeInfo(value).Type!);
        for (int r = 0; r < values.Count; r++)
        {
            FunctionTypes.Leaf leaf = _results[r];
            if (leaf.IsArray)
            {
                string array = values[r].Array!;
                if (_resultNames[r] is { } earlier && earlier != array)
                    throw Unsupported(value, "Returning different arrays on different paths", "fill one array and return it");
                _resultNames[r] = array;
                continue;
            }
            int node = _b.Nodes.Convert(values[r].Node!.Value, leaf.Type);
            string name = ResultName(r);
            _current.Add(declare ? new Declare(name, node, Where(value)) : new Assign(name, node, Where(value)));
        }
    }

    private void ReadStatement(StatementSyntax s)
    {
        _statement++;
        switch (s)
        {
            case BlockSyntax block:
                foreach (StatementSyntax inner in block.Statements) ReadStatement(inner);
                break;
            case LocalDeclarationStatementSyntax local:
                foreach (VariableDeclaratorSyntax v in local.Declaration.Variables)
                    DeclareLocal(v);
                break;
            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: DeclarationExpressionSyntax or TupleExpressionSyntax } deconstruction }:
                Deconstruct(deconstruction);
                break;
            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }:
                AssignTo(assignment);
                break;
            case ExpressionStatementSyntax { Expression: PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax } step:
                Increment(step.Expression);
                break;
            case IfStatementSyntax ifs:
                int condition = Condition(ifs.Condition);
                _current.Add(new If(condition, Nested(ifs.Statement), ifs.Else is { } e ? Nested(e.Statement) : Block.Empty, Where(s)));
                break;
            case ForStatementSyntax loop:
                ReadFor(loop);
                break;
            case EmptyStatementSyntax:
                break;
            case ReturnStatementSyntax:
                throw Unsupported(s, "A return inside a loop", "compute the value in a local and return after the loop");
            default:
                throw Unsupported(s, Describe(s), "use locals, assignments, if/else, for loops over arrays and return");
        }
    }

    private Block Nested(StatementSyntax s)
    {
        List<Statement> outer = _current;
        _current = new List<Statement>();
        ReadStatement(s);
        var block = new Block(_current.ToEquatableArray());
        _current = outer;
        return block;
    }

    private void DeclareLocal(VariableDeclaratorSyntax v)
    {
        var symbol = (ILocalSymbol)_model.GetDeclaredSymbol(v)!;
        if (FunctionTypes.IsTuple(symbol.Type))
        {
            DeclareTuple(symbol, v);
            return;
        }
        if (FunctionTypes.Of(symbol.Type) is not var (type, isArray))
            throw new FunctionSyntaxError(Diagnostics.DiagnosticDescriptors.UnsupportedParameterType, v, symbol.Name, symbol.Type.ToDisplayString());
        ExpressionSyntax? init = v.Initializer?.Value;
        if (isArray)
        {
            if (init is ArrayCreationExpressionSyntax { Initializer: null } creation
                && creation.Type.RankSpecifiers.Count == 1 && creation.Type.RankSpecifiers[0].Sizes.Count == 1)
            {
                ExpressionSyntax size = creation.Type.RankSpecifiers[0].Sizes[0];
                string name = _b.Fresh(symbol.Name, type, isArray: true);
                _names[symbol] = name;
                _current.Add(new Allocate(name, Int(size), Where(v)));
                _written.Add(name);
            }
            else if (init is not null)
                _names[symbol] = Array(init);
            else
                throw Unsupported(v, "An array local without a value", "write 'var a = new double[n];'");
            return;
        }
        string local = _b.Fresh(symbol.Name, type);
        int value = init is null ? _b.Nodes.Constant(0, type) : Expression(init);
        _names[symbol] = local;
        _current.Add(new Declare(local, value, Where(v)));
    }

    private void AssignTo(AssignmentExpressionSyntax a)
    {
        SyntaxKind kind = a.Kind();
        if (a.Left is ElementAccessExpressionSyntax element)
        {
            string array = Array(element.Expression);
            int index = Index(element);
            int value = Expression(a.Right);
            _written.Add(array);
            Statement store = kind switch
            {
                SyntaxKind.SimpleAssignmentExpression => new Store(array, index, value, false, Where(a)),
                SyntaxKind.AddAssignmentExpression => new Store(array, index, value, true, Where(a)),
                SyntaxKind.SubtractAssignmentExpression => new Store(array, index, _b.Nodes.Negate(value), true, Where(a)),
                _ => throw Unsupported(a, "'" + a.OperatorToken.Text + "' on an array element", "write each element once with '=', or accumulate with '+=' or '-='"),
            };
            _current.Add(store);
            return;
        }
        string target = ScalarTarget(a.Left);
        int right = Expression(a.Right);
        int old = _b.Read(target);
        int updated = kind switch
        {
            SyntaxKind.SimpleAssignmentExpression => right,
            SyntaxKind.AddAssignmentExpression => _b.Nodes.Add(old, right),
            SyntaxKind.SubtractAssignmentExpression => _b.Nodes.Subtract(old, right),
            SyntaxKind.MultiplyAssignmentExpression => _b.Nodes.Multiply(old, right),
            SyntaxKind.DivideAssignmentExpression => _b.Nodes.Divide(old, right),
            _ => throw Unsupported(a, "'" + a.OperatorToken.Text + "'", "use =, +=, -=, *= or /="),
        };
        _current.Add(new Assign(target, updated, Where(a)));
    }

    private void Increment(ExpressionSyntax step)
    {
        (ExpressionSyntax operand, bool up) = step switch
        {
            PostfixUnaryExpressionSyntax p => (p.Operand, p.IsKind(SyntaxKind.PostIncrementExpression)),
            PrefixUnaryExpressionSyntax p => (p.Operand, p.IsKind(SyntaxKind.PreIncrementExpression)),
            _ => throw Unsupported(step, Describe(step), "write 'v += 1'"),
        };
        string target = ScalarTarget(operand);
        int one = _b.Nodes.Constant(1, _b[target].Type);
        _current.Add(new Assign(target, up ? _b.Nodes.Add(_b.Read(target), one) : _b.Nodes.Subtract(_b.Read(target), one), Where(step)));
    }

    private string ScalarTarget(ExpressionSyntax left)
    {
        ISymbol? symbol = _model.GetSymbolInfo(left).Symbol;
        if (symbol is null || !_names.TryGetValue(symbol, out string? name) || _b[name].IsArray)
            throw Unsupported(left, "Assigning to '" + left + "'", "assign to a local or parameter of the function");
        if (_loopIndices.Contains(name))
            throw Unsupported(left, "Assigning to the loop index '" + left + "'", "a loop must count 'for (int i = a; i < b; i++)'");
        return name;
    }

    private readonly HashSet<string> _loopIndices = new();

    /// <summary><c>for (int i = a; i &lt; b; i++)</c> (or <c>i &lt;= b</c>, <c>++i</c>, <c>i += 1</c>): the only loop reverse mode can walk back.</summary>
    private void ReadFor(ForStatementSyntax loop)
    {
        const string Canonical = "write 'for (int i = start; i < end; i++)' with an end that the body does not change";
        if (loop.Declaration is not { Variables.Count: 1 } declaration
            || declaration.Variables[0] is not { Initializer: { } init } declarator
            || FunctionTypes.Scalar(((ILocalSymbol)_model.GetDeclaredSymbol(declarator)!).Type) != DType.I32
            || loop.Condition is not BinaryExpressionSyntax condition
            || !(condition.IsKind(SyntaxKind.LessThanExpression) || condition.IsKind(SyntaxKind.LessThanOrEqualExpression))
            || condition.Left is not IdentifierNameSyntax counter || counter.Identifier.Text != declarator.Identifier.Text
            || loop.Incrementors.Count != 1 || !IsStepByOne(loop.Incrementors[0], declarator.Identifier.Text))
            throw Unsupported(loop, "This loop", Canonical);

        var symbol = (ILocalSymbol)_model.GetDeclaredSymbol(declarator)!;
        int start = Int(init.Value);
        int end = Int(condition.Right);
        if (condition.IsKind(SyntaxKind.LessThanOrEqualExpression))
            end = _b.Nodes.Add(end, _b.Nodes.Constant(1, DType.I32));
        string index = _b.Has(symbol.Name) && _loopIndices.Contains(symbol.Name) ? symbol.Name : _b.Fresh(symbol.Name, DType.I32);
        _names[symbol] = index;
        _loopIndices.Add(index);
        Block body = Nested(loop.Statement);
        var changed = Autodiff.Functions.FunctionFacts.Writes(body);
        if (Autodiff.Functions.FunctionFacts.Reads(_b.Nodes, end).Overlaps(changed))
            throw Unsupported(loop, "A loop whose end changes inside it", Canonical);
        _current.Add(new For(index, start, end, false, body, Where(loop)));
    }

    private static bool IsStepByOne(ExpressionSyntax step, string name) => step switch
    {
        PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax id } p => p.IsKind(SyntaxKind.PostIncrementExpression) && id.Identifier.Text == name,
        PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax id } p => p.IsKind(SyntaxKind.PreIncrementExpression) && id.Identifier.Text == name,
        AssignmentExpressionSyntax { Left: IdentifierNameSyntax id, Right: LiteralExpressionSyntax { Token.Value: 1 } } a =>
            a.IsKind(SyntaxKind.AddAssignmentExpression) && id.Identifier.Text == name,
        _ => false,
    };

    /// <summary>An if's condition, held in a bool local so the reverse sweep takes the same branch.</summary>
    private int Condition(ExpressionSyntax condition)
    {
        int value = Expression(condition);
        string name = _b.Fresh("condition", DType.Bool);
        _current.Add(new Declare(name, value, Where(condition)));
        return _b.Read(name);
    }

    private LocationInfo? Where(SyntaxNode node) => Diagnostics.RoslynDiagnostics.ToInfo(node.GetLocation());

    private static FunctionSyntaxError Unsupported(SyntaxNode at, string what, string hint) =>
        new(Diagnostics.DiagnosticDescriptors.UnsupportedFunctionSyntax, at, what, hint);

    private static string Describe(SyntaxNode node) => node switch
    {
        WhileStatementSyntax => "A 'while' loop",
        DoStatementSyntax => "A 'do' loop",
        ForEachStatementSyntax => "A 'foreach' loop",
        BreakStatementSyntax => "'break'",
        ContinueStatementSyntax => "'continue'",
        SwitchStatementSyntax => "A 'switch' statement",
        TryStatementSyntax => "A 'try' statement",
        _ => "'" + node.ToString().Split('\n')[0].Trim() + "'",
    };
}
