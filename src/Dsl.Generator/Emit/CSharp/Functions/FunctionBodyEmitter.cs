using System;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;
using Dsl.Generator.Ir.Functions;

namespace Dsl.Generator.Emit.CSharp.Functions;

/// <summary>
/// Writes a scalar function's statements as C#: each statement one line or one braced block, in
/// the shapes a person would write (<c>x += c;</c>, <c>for (int i = n - 1; i &gt;= 0; i--)</c>),
/// with a <c>// File.cs:12</c> comment where a run of statements comes from a new user line.
/// </summary>
internal sealed class FunctionBodyEmitter
{
    private readonly Function _f;
    private readonly ScalarExpression _expressions;
    private readonly Func<string, string> _name;
    private readonly SourceWriter _w;
    private string? _lastSource;

    /// <param name="ownType">The qualified name of the type written into, with a trailing dot (see <see cref="ScalarExpression"/>).</param>
    public FunctionBodyEmitter(Function f, Func<string, string> name, SourceWriter writer, string ownType = "")
    {
        _f = f;
        _name = name;
        _w = writer;
        _expressions = new ScalarExpression(f.Nodes, name, ownType);
    }

    public void Write()
    {
        Write(_f.Body);
        _w.Line("return " + ResultLayout.Render(_f.Layout, _f.Results.Select(_name).ToList()) + ";");
    }

    private void Write(Block block)
    {
        foreach (Statement s in block.Statements)
            Write(s);
    }

    private string E(int node) => _expressions.Write(node);

    private void Write(Statement s)
    {
        Comment(s.Source);
        switch (s)
        {
            case Declare d:
                _w.Line(_f[d.Target].TypeName + " " + _name(d.Target) + " = " + E(d.Value) + ";");
                break;
            case Assign a:
                _w.Line(Update(_name(a.Target), a.Target, a.Value));
                break;
            case Allocate a when _f[a.Target].IsTape:
                _w.Line("var " + _name(a.Target) + " = new " + _f[a.Target].TypeName + "();");
                break;
            case Allocate a:
                _w.Line("var " + _name(a.Target) + " = new " + Types.CSharp(_f[a.Target].Type) + "[" + E(a.Length) + "];");
                break;
            case Store st:
                string element = _name(st.Target) + "[" + E(st.Index) + "]";
                _w.Line(st.Accumulate ? Accumulate(element, st.Value) : element + " = " + E(st.Value) + ";");
                break;
            case Push p:
                _w.Line(_name(p.Tape) + ".Push(" + E(p.Value) + ");");
                break;
            case Pop p:
                _w.Line(_name(p.Target) + " = " + _name(p.Tape) + ".Pop();");
                break;
            case If i:
                WriteIf(i);
                break;
            case For f:
                string index = _name(f.Index);
                _w.Open(f.Descending
                    ? $"for (int {index} = {Last(f.End)}; {index} >= {E(f.Start)}; {index}--)"
                    : $"for (int {index} = {E(f.Start)}; {index} < {E(f.End)}; {index}++)");
                _lastSource = null;
                Write(f.Body);
                _w.Close();
                break;
            default:
                throw new InvalidOperationException("no C# for " + s.GetType().Name);
        }
    }

    private void WriteIf(If i)
    {
        bool onlyElse = i.Then.Statements.Count == 0;
        _w.Open(onlyElse ? "if (!(" + E(i.Condition) + "))" : "if (" + E(i.Condition) + ")");
        _lastSource = null;
        Write(onlyElse ? i.Else : i.Then);
        _w.Close();
        if (!onlyElse && i.Else.Statements.Count > 0)
        {
            _w.Open("else");
            _lastSource = null;
            Write(i.Else);
            _w.Close();
        }
    }

    /// <summary><c>v = v + c</c> as <c>v += c;</c>, and likewise for −, * and /.</summary>
    private string Update(string target, string variable, int value)
    {
        Node n = _f.Nodes[value];
        string? compound = n.Op switch { OpKind.Add => " += ", OpKind.Subtract => " -= ", OpKind.Multiply => " *= ", OpKind.Divide => " /= ", _ => null };
        if (compound is not null && IsRead(n.Inputs[0], variable))
            return target + compound + E(n.Inputs[1]) + ";";
        if (n.Op == OpKind.Add && IsRead(n.Inputs[1], variable))
            return target + " += " + E(n.Inputs[0]) + ";";
        return target + " = " + E(value) + ";";
    }

    private string Accumulate(string element, int value)
    {
        Node n = _f.Nodes[value];
        return n.Op == OpKind.Negate ? element + " -= " + E(n.Inputs[0]) + ";" : element + " += " + E(value) + ";";
    }

    /// <summary><c>end − 1</c>, the first index of a loop counting down, with a constant folded: <c>n − 2</c>, not <c>n − 1 − 1</c>.</summary>
    private string Last(int end)
    {
        Node n = _f.Nodes[end];
        Node? constant = n.Op is OpKind.Add or OpKind.Subtract && _f.Nodes[n.Inputs[1]] is { Op: OpKind.Constant } c
            && _f.Nodes[n.Inputs[0]].Op != OpKind.Select ? c : null; // a select would need parentheses
        if (n.Op == OpKind.Constant)
            return Literals.Int((int)n.Constant - 1);
        if (constant is null)
            return E(end) + " - 1";
        int offset = (n.Op == OpKind.Add ? (int)constant.Constant : -(int)constant.Constant) - 1;
        string start = E(n.Inputs[0]);
        return offset == 0 ? start : offset < 0 ? start + " - " + Literals.Int(-offset) : start + " + " + Literals.Int(offset);
    }

    private bool IsRead(int node, string variable) => _f.Nodes[node] is { Op: OpKind.Variable } v && v.Name == variable;

    private void Comment(LocationInfo? source)
    {
        string? where = source?.Describe();
        if (where is null || where == _lastSource) return;
        _w.Line("// " + where);
        _lastSource = where;
    }
}
