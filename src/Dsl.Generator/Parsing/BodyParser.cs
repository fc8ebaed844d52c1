using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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

    public BodyParser(ModelParser model, SemanticModel semanticModel, bool returnsVoid)
    {
        _model = model;
        _semanticModel = semanticModel;
        _returnsVoid = returnsVoid;
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
                        Unsupported(variable, "A local without an initial value ('" + variable.Identifier.Text + "')");
                    else
                        yield return new AssignStatement(variable.Identifier.Text, ParseExpression(variable.Initializer.Value), Location(statement));
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
            case ForEachStatementSyntax loop when _model.IsInvalidChild(_semanticModel.GetSymbolInfo(loop.Expression).Symbol):
                break; // a stack already reported at its declaration
            case ForEachStatementSyntax loop when _semanticModel.GetSymbolInfo(loop.Expression).Symbol is var stack && _model.Child(stack) is { Count: not null } child:
                if (ParseLoopBody(loop, child) is { } unrolled)
                    yield return unrolled;
                break;
            default:
                if (!ReportStackMisuse(statement))
                    Unsupported(statement, "The '" + Describe(statement.Kind()) + "' statement");
                break;
        }
    }

    private Statement? ParseExpressionStatement(ExpressionSyntax expression)
    {
        switch (expression)
        {
            case AssignmentExpressionSyntax assignment when assignment.Left is IdentifierNameSyntax target && IsLocalOrParameter(target):
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
                    return UnsupportedStatement(assignment, "The assignment '" + assignment.OperatorToken.Text + "'");
                return new AssignStatement(target.Identifier.Text, value, Location(assignment));

            case InvocationExpressionSyntax invocation when IsOpsLog(invocation):
                ArgumentSyntax name = invocation.ArgumentList.Arguments[0];
                if (_semanticModel.GetConstantValue(name.Expression).Value is not string metric)
                    return UnsupportedStatement(name, "A metric name that is not a constant string");
                return new LogStatement(metric, ParseExpression(invocation.ArgumentList.Arguments[1].Expression), Location(invocation));

            case InvocationExpressionSyntax invocation:
                return new ExpressionStatement(ParseExpression(invocation), Location(invocation));

            default:
                return UnsupportedStatement(expression, "The expression statement '" + expression + "'");
        }
    }

    private Expression ParseExpression(ExpressionSyntax expression)
    {
        LocationInfo? location = Location(expression);
        Optional<object?> constant = _semanticModel.GetConstantValue(expression);
        if (constant.HasValue && constant.Value is int or long or float or double or short or byte or decimal)
            return new ConstantExpression(System.Convert.ToDouble(constant.Value, System.Globalization.CultureInfo.InvariantCulture), location);
        if (constant.HasValue && constant.Value is bool flag)
            return new ConstantExpression(flag ? 1 : 0, location); // keepDim, unbiased

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
            case ElementAccessExpressionSyntax access when access.ArgumentList.Arguments.Count == 1:
                // A part of Split/Chunk: the index must be a constant, so the part is known at compile time.
                if (_semanticModel.GetConstantValue(access.ArgumentList.Arguments[0].Expression).Value is not int index)
                    return Unsupported(access, "An index that is not a constant int ('" + access + "')");
                return new IndexExpression(ParseExpression(access.Expression), index, location);
            default:
                return ReportStackMisuse(expression) ? new ErrorExpression(location) : Unsupported(expression, "The expression '" + expression + "'");
        }
    }

    private Expression ParseCall(InvocationExpressionSyntax invocation)
    {
        LocationInfo? location = Location(invocation);
        if (_semanticModel.GetSymbolInfo(invocation).Symbol is not IMethodSymbol method)
        {
            // A call C# could not bind to one method is already a C# error; a DSL error would repeat it.
            return new ErrorExpression(location);
        }
        if (invocation.ArgumentList.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
            return Unsupported(invocation, "A call with named, ref or out arguments");

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

    // ---- Modules ----

    /// <summary><c>foreach (var block in Blocks) ...</c>: its body, to unroll once per module of the stack.</summary>
    private Statement? ParseLoopBody(ForEachStatementSyntax loop, ChildSpec stack)
    {
        var body = new List<Statement>();
        IEnumerable<StatementSyntax> statements = loop.Statement is BlockSyntax block ? block.Statements : new[] { loop.Statement };
        foreach (StatementSyntax statement in statements)
        {
            if (statement.DescendantNodesAndSelf().OfType<ReturnStatementSyntax>().FirstOrDefault() is { } ret)
                return UnsupportedStatement(ret, "A 'return' inside a foreach over the stack '" + stack.PropertyName + "'");
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
                || _semanticModel.GetConstantValue(element.ArgumentList.Arguments[0].Expression).Value is not int index
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
        if (!ModelParser.IsForward(method))
        {
            _model.Report(DiagnosticDescriptors.UnsupportedCall, location, method.ContainingType.Name + "." + method.Name + " (a module is called through its [Forward] method)");
            return new ErrorExpression(location);
        }
        if (invocation.ArgumentList.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
            return Unsupported(invocation, "A call with named, ref or out arguments");
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

    private ErrorExpression Unsupported(SyntaxNode node, string what)
    {
        _model.Report(DiagnosticDescriptors.UnsupportedSyntax, Location(node), what);
        return new ErrorExpression(Location(node));
    }

    private Statement? UnsupportedStatement(SyntaxNode node, string what)
    {
        Unsupported(node, what);
        return null;
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
