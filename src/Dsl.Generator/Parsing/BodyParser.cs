using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Dsl.Generator.Parsing;

/// <summary>
/// Turns a model method's body into the syntax-free tree of <c>Specs/Syntax.cs</c>, resolving
/// every name and call with the semantic model. What the DSL cannot compile is reported here, at
/// the construct, naming it.
/// </summary>
internal sealed class BodyParser
{
    private readonly ModelParser _model;
    private readonly SemanticModel _semanticModel;
    private readonly bool _returnsVoid;
    private readonly ConstantFolder _folder;

    /// <summary>Locals that a foreach over a stack assigns: its body is parsed once and run once per module, so they are not folded.</summary>
    private readonly HashSet<ISymbol> _notFolded = new(SymbolEqualityComparer.Default);

    /// <summary>How many more times unrolled loops may repeat a body in this method.</summary>
    private int _unrollBudget = MaxUnrolledIterations;

    /// <summary>The most body copies the loops of one method unroll to (as many as a method's stacks may hold modules).</summary>
    internal const int MaxUnrolledIterations = 4096;

    public BodyParser(ModelParser model, SemanticModel semanticModel, bool returnsVoid)
    {
        _model = model;
        _semanticModel = semanticModel;
        _returnsVoid = returnsVoid;
        _folder = new ConstantFolder(model, semanticModel);
    }

    public EquatableArray<Statement> Parse(MethodDeclarationSyntax method)
    {
        var statements = new List<Statement>();
        if (method.ExpressionBody is { } arrow)
        {
            Statement? statement = _returnsVoid
                ? ParseExpressionStatement(arrow.Expression)
                : new ReturnStatement(ParseExpression(arrow.Expression), Location(arrow.Expression));
            if (statement is not null) statements.Add(statement);
        }
        else if (method.Body is { } block)
        {
            foreach (StatementSyntax statement in block.Statements)
                statements.AddRange(ParseStatement(statement));
        }
        return statements.ToEquatableArray();
    }

    private IEnumerable<Statement> ParseStatement(StatementSyntax statement)
    {
        switch (statement)
        {
            case LocalDeclarationStatementSyntax local when !local.IsConst:
                foreach (VariableDeclaratorSyntax variable in local.Declaration.Variables)
                {
                    if (variable.Initializer is null)
                        Unsupported(variable, "A local without an initial value ('" + variable.Identifier.Text + "')", "give it a value where it is declared");
                    else
                        yield return Assign(variable.Identifier.Text, _semanticModel.GetDeclaredSymbol(variable), variable.Initializer.Value, Location(statement));
                }
                break;
            case LocalDeclarationStatementSyntax:
                break; // A const local: its uses are folded to constants.
            case ExpressionStatementSyntax expression:
                if (ParseExpressionStatement(expression.Expression) is { } single)
                    yield return single;
                break;
            case ReturnStatementSyntax ret:
                yield return new ReturnStatement(ret.Expression is null ? null : ParseExpression(ret.Expression), Location(ret));
                break;
            case BlockSyntax block:
                foreach (StatementSyntax inner in block.Statements)
                    foreach (Statement parsed in ParseStatement(inner))
                        yield return parsed;
                break;
            case EmptyStatementSyntax:
                break;
            case IfStatementSyntax branch:
                foreach (Statement parsed in ParseIf(branch))
                    yield return parsed;
                break;
            case ForStatementSyntax loop:
                foreach (Statement parsed in Unroll(loop))
                    yield return parsed;
                break;
            case ForEachStatementSyntax loop when _model.IsInvalidChild(_semanticModel.GetSymbolInfo(loop.Expression).Symbol):
                break; // a stack already reported at its declaration
            case ForEachStatementSyntax loop when _semanticModel.GetSymbolInfo(loop.Expression).Symbol is var stack && _model.Child(stack) is { Count: not null } child:
                if (ParseLoopBody(loop, child) is { } unrolled)
                    yield return unrolled;
                break;
            default:
                if (!ReportStackMisuse(statement))
                    Unsupported(statement, "The '" + Describe(statement.Kind()) + "' statement", Advice(statement.Kind()));
                break;
        }
    }

    /// <summary>What to write instead of a statement the DSL does not compile.</summary>
    private static string Advice(SyntaxKind kind) => kind switch
    {
        SyntaxKind.WhileStatement or SyntaxKind.DoStatement =>
            "loops are unrolled at compile time, so write a 'for' loop with constant bounds, or 'foreach' over a [Repeat] stack",
        SyntaxKind.ForEachStatement or SyntaxKind.ForEachVariableStatement =>
            "'foreach' iterates a [Repeat] stack only; for a count, write a 'for' loop with constant bounds",
        SyntaxKind.SwitchStatement =>
            "branch with if/else on compile-time constants, or choose per element with Where(condition, a, b)",
        SyntaxKind.BreakStatement or SyntaxKind.ContinueStatement =>
            "a loop is unrolled at compile time, so put the condition in its constant bound",
        SyntaxKind.LocalFunctionStatement =>
            "write another method of the model; calls to it are inlined",
        _ => DiagnosticDescriptors.UnsupportedSyntaxAdvice,
    };

    /// <summary>
    /// <c>var name = value;</c> or <c>name = value;</c>. A local of a number type whose value folds
    /// is remembered, so later loop bounds, conditions and indices can read it.
    /// </summary>
    private Statement Assign(string name, ISymbol? local, ExpressionSyntax value, LocationInfo? location)
    {
        if (local is ILocalSymbol { Type: var type } && ConstantFolder.IsPrimitive(type))
        {
            if (!_notFolded.Contains(local) && _folder.TryFold(value, out object folded))
            {
                _folder.Bind(local, folded);
                return new AssignStatement(name, new ConstantExpression(ConstantFolder.ToDouble(folded), Location(value)), location);
            }
            _folder.Unbind(local);
        }
        return new AssignStatement(name, ParseExpression(value), location);
    }

    // ---- Compile-time control flow ----

    /// <summary><c>if</c> on a compile-time constant: the branch taken, in place; the other is not compiled.</summary>
    private IEnumerable<Statement> ParseIf(IfStatementSyntax branch)
    {
        if (!_folder.TryFold(branch.Condition, out object condition) || condition is not bool taken)
        {
            ReportNotConstant(branch.Condition, "The condition of this 'if' ('" + branch.Condition + "')", condition is null ? null : "it is a number, not a bool",
                "a model method's branches are chosen when it is compiled; to choose per element, use Where(condition, a, b) or multiply by a 0/1 mask");
            // Both branches are read for their own mistakes, and compile to nothing.
            ParseStatement(branch.Statement).ToList();
            if (branch.Else is { } otherwise) ParseStatement(otherwise.Statement).ToList();
            yield break;
        }
        StatementSyntax? chosen = taken ? branch.Statement : branch.Else?.Statement;
        if (chosen is null) yield break;
        foreach (Statement parsed in ParseStatement(chosen))
            yield return parsed;
    }

    /// <summary>
    /// <c>for (int i = a; i &lt; b; i++) body</c> with constant bounds: the body once per value of
    /// <c>i</c>, in which <c>i</c> is a constant (so <c>Blocks[i]</c> and <c>parts[i]</c> resolve).
    /// </summary>
    private IEnumerable<Statement> Unroll(ForStatementSyntax loop)
    {
        var body = new List<Statement>();
        // A loop refused compiles to nothing; its body is not read, since without the loop's
        // values it would only repeat the refusal in other words.
        return UnrollInto(loop, body) ? body : Enumerable.Empty<Statement>();
    }

    private bool UnrollInto(ForStatementSyntax loop, List<Statement> body)
    {
        if (loop.Declaration is not { Variables.Count: 1 } declaration || loop.Initializers.Count > 0
            || declaration.Variables[0].Initializer is not { } start
            || _semanticModel.GetDeclaredSymbol(declaration.Variables[0]) is not ILocalSymbol variable
            || !ConstantFolder.IsPrimitive(variable.Type) || variable.Type.SpecialType == SpecialType.System_Boolean)
            return LoopError(loop.Declaration ?? (SyntaxNode)loop, "its first part must declare one counter with a start value, as in 'int i = 0'");
        if (loop.Condition is null)
            return LoopError(loop, "it has no condition, so it would never end");
        if (FirstJump(loop.Statement) is { } jump)
            return LoopError(jump, "its body uses '" + jump.GetFirstToken().Text + "'");
        if (AssignsLocal(loop.Statement, variable) is { } write)
            return LoopError(write, "its body assigns the loop variable '" + variable.Name + "' ('" + write + "')");
        foreach (ExpressionSyntax step in loop.Incrementors)
            if (!IsStepOf(step, variable))
                return LoopError(step, "its step '" + step + "' does not change the loop variable '" + variable.Name + "' (write 'i++', 'i--', 'i += k' or 'i -= k')");
        if (!_folder.TryFold(start.Value, out object value))
        {
            ReportNotConstant(start.Value, "The start of this 'for' loop ('" + start.Value + "')", null, ForAdvice);
            return false;
        }
        _folder.Bind(variable, value);
        try
        {
            while (true)
            {
                if (!_folder.TryFold(loop.Condition, out object condition) || condition is not bool running)
                {
                    ReportNotConstant(loop.Condition, "The condition of this 'for' loop ('" + loop.Condition + "')", condition is null ? null : "it is a number, not a bool", ForAdvice);
                    return false;
                }
                if (!running) return true;
                if (--_unrollBudget < 0)
                    return LoopError(loop.Condition, "unrolled, it would repeat its body more than " + MaxUnrolledIterations + " times in this method");
                body.AddRange(ParseStatement(loop.Statement));
                foreach (ExpressionSyntax step in loop.Incrementors)
                {
                    if (!Step(step, variable, out object next))
                    {
                        ReportNotConstant(step, "The step of this 'for' loop ('" + step + "')", null, ForAdvice);
                        return false;
                    }
                    _folder.Bind(variable, next);
                }
            }
        }
        finally
        {
            _folder.Unbind(variable);
        }
    }

    private const string ForAdvice =
        "a loop is unrolled when the model is compiled, so its start, end and step must be constants (literals, 'const' values, a stack's Length); to act on selected elements, use Where(condition, a, b) or a mask";

    private bool LoopError(SyntaxNode at, string why)
    {
        _model.Report(DiagnosticDescriptors.LoopNotUnrollable, Location(at), why);
        return false;
    }

    private static SyntaxNode? FirstJump(StatementSyntax body) => body.DescendantNodesAndSelf()
        .FirstOrDefault(n => n is BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax);

    /// <summary>The first assignment, <c>++</c> or <c>--</c> of <paramref name="local"/> in <paramref name="node"/>.</summary>
    private SyntaxNode? AssignsLocal(SyntaxNode node, ISymbol local) => node.DescendantNodesAndSelf().FirstOrDefault(n =>
        (n is AssignmentExpressionSyntax a && Is(a.Left, local))
        || (n is PostfixUnaryExpressionSyntax p && Is(p.Operand, local))
        || (n is PrefixUnaryExpressionSyntax u && (u.IsKind(SyntaxKind.PreIncrementExpression) || u.IsKind(SyntaxKind.PreDecrementExpression)) && Is(u.Operand, local)));

    private bool Is(ExpressionSyntax expression, ISymbol local) =>
        SymbolEqualityComparer.Default.Equals(_semanticModel.GetSymbolInfo(expression).Symbol, local);

    private bool IsStepOf(ExpressionSyntax step, ISymbol variable) => step switch
    {
        PostfixUnaryExpressionSyntax p => Is(p.Operand, variable),
        PrefixUnaryExpressionSyntax u => (u.IsKind(SyntaxKind.PreIncrementExpression) || u.IsKind(SyntaxKind.PreDecrementExpression)) && Is(u.Operand, variable),
        AssignmentExpressionSyntax a => Is(a.Left, variable) && CompoundOperator(a.Kind()) is not null,
        _ => false,
    };

    /// <summary>The value of a local after <c>i++</c>, <c>--i</c>, <c>i += k</c> or <c>i = e</c>.</summary>
    private bool Step(ExpressionSyntax step, ISymbol local, out object value)
    {
        value = null!;
        switch (step)
        {
            case PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax:
                bool increment = step.IsKind(SyntaxKind.PostIncrementExpression) || step.IsKind(SyntaxKind.PreIncrementExpression);
                ExpressionSyntax operand = step is PostfixUnaryExpressionSyntax p ? p.Operand : ((PrefixUnaryExpressionSyntax)step).Operand;
                if (!_folder.TryFold(operand, out object current)) return false;
                return _folder.Combine(increment ? SyntaxKind.AddExpression : SyntaxKind.SubtractExpression, current, 1, step, out value);
            case AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression):
                return _folder.TryFold(assignment.Right, out value) && _folder.ConvertTo(value, Type(local), out value);
            case AssignmentExpressionSyntax assignment when CompoundOperator(assignment.Kind()) is { } kind:
                return _folder.TryFold(assignment.Left, out object left) && _folder.TryFold(assignment.Right, out object right)
                    && _folder.Combine(kind, left, right, assignment, out value) && _folder.ConvertTo(value, Type(local), out value);
            default:
                return false;
        }
    }

    private static SpecialType Type(ISymbol local) => local is ILocalSymbol l ? l.Type.SpecialType : SpecialType.None;

    /// <summary>The binary operator of a compound assignment (<c>+=</c> is <c>+</c>); <c>None</c> for <c>=</c>; null otherwise.</summary>
    private static SyntaxKind? CompoundOperator(SyntaxKind kind) => kind switch
    {
        SyntaxKind.SimpleAssignmentExpression => SyntaxKind.None,
        SyntaxKind.AddAssignmentExpression => SyntaxKind.AddExpression,
        SyntaxKind.SubtractAssignmentExpression => SyntaxKind.SubtractExpression,
        SyntaxKind.MultiplyAssignmentExpression => SyntaxKind.MultiplyExpression,
        SyntaxKind.DivideAssignmentExpression => SyntaxKind.DivideExpression,
        SyntaxKind.ModuloAssignmentExpression => SyntaxKind.ModuloExpression,
        _ => null,
    };

    /// <summary>DSL0017 at a condition or bound that did not fold, with the folder's reason.</summary>
    private void ReportNotConstant(SyntaxNode at, string what, string? reason, string advice)
    {
        var (why, _) = _folder.NotConstant ?? (reason ?? "it is not a compile-time constant", at);
        _model.Report(DiagnosticDescriptors.NotConstantControlFlow, Location(at), what, reason ?? why, advice);
    }

    private Statement? ParseExpressionStatement(ExpressionSyntax expression)
    {
        switch (expression)
        {
            case AssignmentExpressionSyntax assignment when assignment.Left is IdentifierNameSyntax target && IsPrimitiveLocal(target, out ILocalSymbol? local):
                // A number local: folded while its value is known (a counter, a scale halved each iteration).
                if (!_notFolded.Contains(local!) && Step(assignment, local!, out object folded))
                {
                    _folder.Bind(local!, folded);
                    return new AssignStatement(target.Identifier.Text, new ConstantExpression(ConstantFolder.ToDouble(folded), Location(assignment)), Location(assignment));
                }
                _folder.Unbind(local!);
                return AssignTensor(assignment, target);

            case PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax when Counter(expression) is { } counter
                && IsPrimitiveLocal(counter, out ILocalSymbol? number) && !_notFolded.Contains(number!) && Step(expression, number!, out object next):
                _folder.Bind(number!, next);
                return new AssignStatement(counter.Identifier.Text, new ConstantExpression(ConstantFolder.ToDouble(next), Location(expression)), Location(expression));

            case AssignmentExpressionSyntax assignment when assignment.Left is IdentifierNameSyntax target && IsLocalOrParameter(target):
                return AssignTensor(assignment, target);

            case PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax when Counter(expression) is { } counter && IsPrimitiveLocal(counter, out _):
                // k++ in a foreach over a stack: k is a value that changes per module, lowered as k = k + 1.
                bool up = expression.IsKind(SyntaxKind.PostIncrementExpression) || expression.IsKind(SyntaxKind.PreIncrementExpression);
                return new AssignStatement(counter.Identifier.Text, new BinaryExpression(up ? BinaryOperator.Add : BinaryOperator.Subtract,
                    new NameExpression(counter.Identifier.Text, Location(counter)), new ConstantExpression(1, Location(expression)), Location(expression)), Location(expression));

            case AssignmentExpressionSyntax { Left: DeclarationExpressionSyntax or TupleExpressionSyntax } deconstruction:
                return Deconstruct(deconstruction);

            case InvocationExpressionSyntax invocation when IsOpsLog(invocation):
                ArgumentSyntax name = invocation.ArgumentList.Arguments[0];
                if (_semanticModel.GetConstantValue(name.Expression).Value is not string metric)
                    return UnsupportedStatement(name, "A metric name that is not a constant string", "name the metric with a string literal or a const string");
                return new LogStatement(metric, ParseExpression(invocation.ArgumentList.Arguments[1].Expression), Location(invocation));

            case InvocationExpressionSyntax invocation:
                return new ExpressionStatement(ParseExpression(invocation), Location(invocation));

            default:
                return UnsupportedStatement(expression, "The expression statement '" + expression + "'", DiagnosticDescriptors.UnsupportedSyntaxAdvice);
        }
    }

    /// <summary>
    /// <c>var (logits, aux) = Forward(x);</c>, <c>(Tensor a, Tensor b) = e;</c> or <c>(a, _) = e;</c>:
    /// the outputs of a method that returns a tuple of Tensors, each bound to its name.
    /// </summary>
    private Statement? Deconstruct(AssignmentExpressionSyntax assignment)
    {
        const string Advice = "deconstruct the tuple of Tensors a model method returns into locals, one level deep, as in 'var (logits, aux) = Forward(x);'";
        if (!assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
            return UnsupportedStatement(assignment, "The compound assignment '" + assignment.OperatorToken.Text + "' of a tuple", Advice);
        if (ModelParser.OutputNames(_semanticModel.GetTypeInfo(assignment.Right).Type!) is null)
            return UnsupportedStatement(assignment.Right, "Deconstructing '" + assignment.Right + "', which is not a tuple of Tensors,", Advice);

        IEnumerable<SyntaxNode> targets = assignment.Left switch
        {
            DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax designation } => designation.Variables,
            TupleExpressionSyntax tuple => tuple.Arguments.Select(a => (SyntaxNode)a.Expression),
            _ => new[] { assignment.Left },
        };
        var names = new List<string>();
        foreach (SyntaxNode target in targets)
        {
            string? name = target switch
            {
                SingleVariableDesignationSyntax single => single.Identifier.Text,
                DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax single } => single.Identifier.Text,
                DiscardDesignationSyntax or DeclarationExpressionSyntax { Designation: DiscardDesignationSyntax } => "",
                IdentifierNameSyntax identifier when _semanticModel.GetSymbolInfo(identifier).Symbol is IDiscardSymbol => "",
                IdentifierNameSyntax identifier when IsLocalOrParameter(identifier) => identifier.Identifier.Text,
                _ => null,
            };
            if (name is null)
                return UnsupportedStatement(target, "The deconstruction target '" + target + "'", Advice);
            names.Add(name);
        }
        return new DeconstructStatement(names.ToEquatableArray(), ParseExpression(assignment.Right), Location(assignment));
    }

    /// <summary><c>x = e</c>, <c>x += e</c>, ... of a local or parameter, lowered as tensors.</summary>
    private Statement? AssignTensor(AssignmentExpressionSyntax assignment, IdentifierNameSyntax target)
    {
        Expression value = ParseExpression(assignment.Right);
        BinaryOperator? compound = assignment.Kind() switch
        {
            SyntaxKind.AddAssignmentExpression => BinaryOperator.Add,
            SyntaxKind.SubtractAssignmentExpression => BinaryOperator.Subtract,
            SyntaxKind.MultiplyAssignmentExpression => BinaryOperator.Multiply,
            SyntaxKind.DivideAssignmentExpression => BinaryOperator.Divide,
            _ => null,
        };
        if (compound is { } op)
            value = new BinaryExpression(op, new NameExpression(target.Identifier.Text, Location(target)), value, Location(assignment));
        else if (!assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
            return UnsupportedStatement(assignment, "The assignment '" + assignment.OperatorToken.Text + "'", "use =, +=, -=, *= or /=");
        return new AssignStatement(target.Identifier.Text, value, Location(assignment));
    }

    private Expression ParseExpression(ExpressionSyntax expression)
    {
        LocationInfo? location = Location(expression);
        if (_folder.TryFold(expression, out object constant))
            return new ConstantExpression(ConstantFolder.ToDouble(constant), location); // bools (keepDim, unbiased) are 1 and 0

        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return ParseExpression(parenthesized.Expression);
            case IdentifierNameSyntax identifier when IsLocalOrParameter(identifier):
                return new NameExpression(identifier.Identifier.Text, location);
            case BinaryExpressionSyntax binary when Operator(binary.Kind()) is { } op:
                return new BinaryExpression(op, ParseExpression(binary.Left), ParseExpression(binary.Right), location);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression):
                return new NegateExpression(ParseExpression(unary.Operand), location);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression):
                return ParseExpression(unary.Operand);
            case InvocationExpressionSyntax invocation:
                return ParseCall(invocation);
            case TupleExpressionSyntax tuple when ModelParser.OutputNames(_semanticModel.GetTypeInfo(tuple).Type ?? _semanticModel.GetTypeInfo(tuple).ConvertedType!) is not null:
                return new TupleExpression(tuple.Arguments.Select(a => ParseExpression(a.Expression)).ToEquatableArray(), location);
            case TupleExpressionSyntax:
                return Unsupported(expression, "The tuple '" + expression + "', whose elements are not all Tensors,", "a model method returns several outputs as a tuple of Tensors, as in 'return (logits, aux);'");
            case MemberAccessExpressionSyntax member when _semanticModel.GetSymbolInfo(member).Symbol is IFieldSymbol { ContainingType.IsTupleType: true } field:
                return new TupleElementExpression(ParseExpression(member.Expression), TupleIndex(field), location);
            case ConditionalExpressionSyntax conditional:
                return ParseConditional(conditional);
            case ElementAccessExpressionSyntax access when access.ArgumentList.Arguments.Count == 1:
                // A part of Split/Chunk: the index must be a constant, so the part is known at compile time.
                ExpressionSyntax indexSyntax = access.ArgumentList.Arguments[0].Expression;
                if (!_folder.TryFold(indexSyntax, out object index) || index is not int part)
                {
                    if (ReportStackMisuse(access)) return new ErrorExpression(location);
                    string why = _folder.NotConstant?.Reason ?? "it is not an int";
                    _model.Report(DiagnosticDescriptors.NotConstantValue, Location(indexSyntax), indexSyntax.ToString(), why + " (the index of a part of Split or Chunk selects it when the model is compiled)");
                    return new ErrorExpression(location);
                }
                return new IndexExpression(ParseExpression(access.Expression), part, location);
            default:
                if (ReportStackMisuse(expression))
                    return new ErrorExpression(location);
                // A number the folder could not read (a field, a property, a call): say why.
                if (_semanticModel.GetTypeInfo(expression).Type is { } type && ConstantFolder.IsPrimitive(type) && _folder.NotConstant is { } notConstant)
                {
                    _model.Report(DiagnosticDescriptors.NotConstantValue, location, expression.ToString(), notConstant.Reason);
                    return new ErrorExpression(location);
                }
                return Unsupported(expression, "The expression '" + expression + "'", DiagnosticDescriptors.UnsupportedSyntaxAdvice);
        }
    }

    /// <summary>The position of <c>heads.aux</c> or <c>heads.Item2</c> in its tuple (a named element and its ItemN share one underlying field).</summary>
    private static int TupleIndex(IFieldSymbol field)
    {
        IFieldSymbol underlying = field.CorrespondingTupleField ?? field;
        var elements = field.ContainingType.TupleElements;
        for (int i = 0; i < elements.Length; i++)
            if (SymbolEqualityComparer.Default.Equals(elements[i].CorrespondingTupleField ?? elements[i], underlying))
                return i;
        return -1;
    }

    /// <summary><c>c ? a : b</c> on a compile-time constant <c>c</c>: the branch taken.</summary>
    private Expression ParseConditional(ConditionalExpressionSyntax conditional)
    {
        if (_folder.TryFold(conditional.Condition, out object condition) && condition is bool taken)
            return ParseExpression(taken ? conditional.WhenTrue : conditional.WhenFalse);
        ReportNotConstant(conditional.Condition, "The condition of this '?:' ('" + conditional.Condition + "')", condition is null ? null : "it is a number, not a bool",
            "a model method's branches are chosen when it is compiled; to choose per element, use Where(condition, a, b) or multiply by a 0/1 mask");
        ParseExpression(conditional.WhenTrue);
        ParseExpression(conditional.WhenFalse);
        return new ErrorExpression(Location(conditional));
    }

    private Expression ParseCall(InvocationExpressionSyntax invocation)
    {
        LocationInfo? location = Location(invocation);
        if (_semanticModel.GetSymbolInfo(invocation).Symbol is not IMethodSymbol method)
        {
            // A call C# could not bind to one method is already a C# error; a DSL error would repeat it.
            return new ErrorExpression(location);
        }
        bool isOp = ModelParser.IsType(method.ContainingType, KnownNames.Ops);
        if (invocation.ArgumentList.Arguments.Any(a => !a.RefKindKeyword.IsKind(SyntaxKind.None) || (a.NameColon is not null && !isOp)))
            return Unsupported(invocation, "A call with named, ref or out arguments", "pass the arguments by position");
        if (isOp && OpArguments(invocation) is { } opArguments)
            return new CallExpression(CallTarget.Op, method.Name, opArguments, location);

        if (invocation.Expression is MemberAccessExpressionSyntax { Expression: var receiver }
            && _model.IsInvalidChild(_semanticModel.GetSymbolInfo(receiver is ElementAccessExpressionSyntax e ? e.Expression : receiver).Symbol))
            return new ErrorExpression(location); // a child already reported at its declaration
        if (!method.IsStatic && ModelParser.IsModule(method.ContainingType) && invocation.Expression is MemberAccessExpressionSyntax member)
            return ParseModuleCall(invocation, member, method);

        CallTarget? target = ModelParser.IsType(method.ContainingType, KnownNames.Ops) ? CallTarget.Op : _model.ClassifyModelCall(method, location);
        if (target is null)
        {
            // A layer whose declaration was already reported needs no second error at each call.
            if (!_model.IsModelType(method.ContainingType))
                _model.Report(DiagnosticDescriptors.UnsupportedCall, location, method.ContainingType.Name + "." + method.Name);
            return new ErrorExpression(location);
        }
        var arguments = invocation.ArgumentList.Arguments.Select(a => ParseExpression(a.Expression)).ToEquatableArray();
        return new CallExpression(target.Value, method.Name, arguments, location);
    }

    /// <summary>
    /// The arguments of a <c>Dsl.Ops</c> call in parameter order, as C# binds them: named
    /// arguments (<c>Sum(x, axis: 0)</c>) in their parameters' places, each omitted default
    /// (<c>keepDim = false</c>) as its constant, and the elements of an array, written as one
    /// (<c>Cat([a, b], 1)</c>, <c>new[] { a, b }</c>) or as params, one argument each. Null when
    /// Roslyn gives no bound call (the caller then reads the arguments as written).
    /// </summary>
    private EquatableArray<Expression>? OpArguments(InvocationExpressionSyntax invocation)
    {
        if (_semanticModel.GetOperation(invocation) is not IInvocationOperation operation)
            return null;
        var arguments = new List<Expression>();
        foreach (IArgumentOperation argument in operation.Arguments)
        {
            switch (argument.ArgumentKind)
            {
                case ArgumentKind.DefaultValue:
                    if (argument.Value.ConstantValue is not { HasValue: true, Value: int or bool or double or float } value)
                        return null;
                    arguments.Add(new ConstantExpression(ConstantFolder.ToDouble(value.Value!), Location(invocation)));
                    break;
                case ArgumentKind.ParamArray:
                    if (argument.Value is not IArrayCreationOperation { Initializer: { } elements })
                        return null;
                    arguments.AddRange(elements.ElementValues.Select(e => ParseExpression(e.Syntax is ArgumentSyntax a ? a.Expression : (ExpressionSyntax)e.Syntax)));
                    break;
                default:
                    ExpressionSyntax written = ((ArgumentSyntax)argument.Syntax).Expression;
                    IEnumerable<ExpressionSyntax>? items = argument.Parameter?.Type is IArrayTypeSymbol ? Elements(written) : null;
                    arguments.AddRange(items is null ? new[] { ParseExpression(written) } : items.Select(ParseExpression));
                    break;
            }
        }
        return arguments.ToEquatableArray();
    }

    /// <summary>The elements of an array written in place (<c>[a, b]</c>, <c>new[] { a, b }</c>, <c>new Tensor[] { a, b }</c>), or null.</summary>
    private static IEnumerable<ExpressionSyntax>? Elements(ExpressionSyntax array) => array switch
    {
        CollectionExpressionSyntax collection when collection.Elements.All(e => e is ExpressionElementSyntax) =>
            collection.Elements.Cast<ExpressionElementSyntax>().Select(e => e.Expression),
        ImplicitArrayCreationExpressionSyntax implicitly => implicitly.Initializer.Expressions,
        ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions,
        _ => null,
    };

    // ---- Modules ----

    /// <summary><c>foreach (var block in Blocks) ...</c>: its body, to unroll once per module of the stack.</summary>
    private Statement? ParseLoopBody(ForEachStatementSyntax loop, ChildSpec stack)
    {
        var body = new List<Statement>();
        // The body is parsed once and run once per module: a number local it assigns has no one value.
        var assigned = loop.Statement.DescendantNodesAndSelf()
            .Select(n => n switch
            {
                AssignmentExpressionSyntax a => a.Left,
                PostfixUnaryExpressionSyntax p => p.Operand,
                PrefixUnaryExpressionSyntax u => u.Operand,
                _ => null,
            })
            .Where(e => e is not null)
            .Select(e => _semanticModel.GetSymbolInfo(e!).Symbol)
            .OfType<ILocalSymbol>()
            .Where(l => !_notFolded.Contains(l) && !IsDeclaredIn(l, loop.Statement))
            .ToList();
        foreach (ILocalSymbol local in assigned)
        {
            _notFolded.Add(local);
            _folder.Unbind(local);
        }
        try
        {
            return ParseStackBody(loop, stack, body);
        }
        finally
        {
            foreach (ILocalSymbol local in assigned) _notFolded.Remove(local);
        }
    }

    private static bool IsDeclaredIn(ILocalSymbol local, SyntaxNode node) =>
        local.DeclaringSyntaxReferences.Any(r => node.Span.Contains(r.Span) && r.SyntaxTree == node.SyntaxTree);

    private Statement? ParseStackBody(ForEachStatementSyntax loop, ChildSpec stack, List<Statement> body)
    {
        IEnumerable<StatementSyntax> statements = loop.Statement is BlockSyntax block ? block.Statements : new[] { loop.Statement };
        foreach (StatementSyntax statement in statements)
        {
            if (statement.DescendantNodesAndSelf().OfType<ReturnStatementSyntax>().FirstOrDefault() is { } ret)
                return UnsupportedStatement(ret, "A 'return' inside a foreach over the stack '" + stack.PropertyName + "'", "assign the result to a local in the loop and return it after the loop");
            body.AddRange(ParseStatement(statement));
        }
        return new ForEachModuleStatement(loop.Identifier.Text, stack.PropertyName, body.ToEquatableArray(), Location(loop));
    }

    /// <summary><c>Encoder.Forward(x)</c>, <c>Blocks[0].Forward(x)</c> or <c>block.Forward(x)</c> in a foreach over a stack.</summary>
    private Expression ParseModuleCall(InvocationExpressionSyntax invocation, MemberAccessExpressionSyntax member, IMethodSymbol method)
    {
        LocationInfo? location = Location(invocation);
        ExpressionSyntax receiver = member.Expression is ParenthesizedExpressionSyntax p ? p.Expression : member.Expression;
        ISymbol? symbol = _semanticModel.GetSymbolInfo(receiver is ElementAccessExpressionSyntax e ? e.Expression : receiver).Symbol;
        if (_model.IsInvalidChild(symbol))
            return new ErrorExpression(location);
        ModuleReference? module = null;
        if (receiver is IdentifierNameSyntax && _model.Child(symbol) is { Count: null } single)
            module = new ChildReference(single.PropertyName, Location(receiver));
        else if (receiver is ElementAccessExpressionSyntax element && _model.Child(symbol) is { Count: { } count } stack)
        {
            if (element.ArgumentList.Arguments.Count != 1
                || !_folder.TryFold(element.ArgumentList.Arguments[0].Expression, out object folded) || folded is not int index
                || index < 0 || index >= count)
            {
                _model.Report(DiagnosticDescriptors.StackMisuse, Location(element), stack.PropertyName, element.ToString(), count - 1);
                return new ErrorExpression(location);
            }
            module = new IndexedChildReference(stack.PropertyName, index, Location(receiver));
        }
        else if (receiver is IdentifierNameSyntax local && symbol is ILocalSymbol)
            module = new LoopVariableReference(local.Identifier.Text, Location(receiver));

        if (module is null)
        {
            if (!ReportStackMisuse(receiver))
                _model.Report(DiagnosticDescriptors.UnsupportedCall, location, method.ContainingType.Name + "." + method.Name);
            return new ErrorExpression(location);
        }
        if (!ModelParser.IsCallableFromHolder(method.OriginalDefinition))
        {
            _model.Report(DiagnosticDescriptors.UnsupportedCall, location, method.ContainingType.Name + "." + method.Name
                + " (a holder calls its module's [Forward], or another of its methods that is not private, takes Tensor, Label or Tokens, and returns a Tensor or a tuple of Tensors)");
            return new ErrorExpression(location);
        }
        if (invocation.ArgumentList.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
            return Unsupported(invocation, "A call with named, ref or out arguments", "pass the arguments by position");
        var arguments = invocation.ArgumentList.Arguments.Select(a => ParseExpression(a.Expression)).ToEquatableArray();
        return new ModuleCallExpression(module, method.Name, arguments, location);
    }

    /// <summary>
    /// Reports DSL0122 at the first use of a stack inside <paramref name="node"/> (indexing it with
    /// a variable, a for loop, LINQ...): a stack exists only at compile time, unrolled.
    /// </summary>
    private bool ReportStackMisuse(SyntaxNode node)
    {
        foreach (IdentifierNameSyntax name in node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (_model.Child(_semanticModel.GetSymbolInfo(name).Symbol) is not { Count: { } count } stack)
                continue;
            SyntaxNode use = name.Parent is ElementAccessExpressionSyntax or MemberAccessExpressionSyntax ? name.Parent : name;
            _model.Report(DiagnosticDescriptors.StackMisuse, Location(use), stack.PropertyName, use.ToString(), count - 1);
            return true;
        }
        return false;
    }

    private bool IsOpsLog(InvocationExpressionSyntax invocation) =>
        invocation.ArgumentList.Arguments.Count == 2
        && _semanticModel.GetSymbolInfo(invocation).Symbol is IMethodSymbol { Name: "Log" } method
        && ModelParser.IsType(method.ContainingType, KnownNames.Ops);

    private bool IsLocalOrParameter(IdentifierNameSyntax identifier) =>
        _semanticModel.GetSymbolInfo(identifier).Symbol is ILocalSymbol or IParameterSymbol;

    private static BinaryOperator? Operator(SyntaxKind kind) => kind switch
    {
        SyntaxKind.AddExpression => BinaryOperator.Add,
        SyntaxKind.SubtractExpression => BinaryOperator.Subtract,
        SyntaxKind.MultiplyExpression => BinaryOperator.Multiply,
        SyntaxKind.DivideExpression => BinaryOperator.Divide,
        _ => null,
    };

    private ErrorExpression Unsupported(SyntaxNode node, string what, string advice)
    {
        _model.Report(DiagnosticDescriptors.UnsupportedSyntax, Location(node), what, advice);
        return new ErrorExpression(Location(node));
    }

    private Statement? UnsupportedStatement(SyntaxNode node, string what, string advice)
    {
        Unsupported(node, what, advice);
        return null;
    }

    /// <summary>The local of <c>k++</c> or <c>--k</c>.</summary>
    private static IdentifierNameSyntax? Counter(ExpressionSyntax expression) => expression switch
    {
        PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax name } => name,
        PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax name } p when p.IsKind(SyntaxKind.PreIncrementExpression) || p.IsKind(SyntaxKind.PreDecrementExpression) => name,
        _ => null,
    };

    private bool IsPrimitiveLocal(IdentifierNameSyntax name, out ILocalSymbol? local)
    {
        local = _semanticModel.GetSymbolInfo(name).Symbol as ILocalSymbol;
        return local is not null && ConstantFolder.IsPrimitive(local.Type);
    }

    /// <summary><c>IfStatement</c> becomes "if", <c>ForEachStatement</c> "for each".</summary>
    private static string Describe(SyntaxKind kind)
    {
        string name = kind.ToString().Replace("Statement", "");
        var builder = new System.Text.StringBuilder();
        foreach (char c in name)
        {
            if (char.IsUpper(c) && builder.Length > 0) builder.Append(' ');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    private static LocationInfo? Location(SyntaxNode node) => node.GetLocation().ToInfo();
}
