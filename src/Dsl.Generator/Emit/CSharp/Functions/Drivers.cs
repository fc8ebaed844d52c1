using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Specs;
using Dsl.Generator.Transforms;

namespace Dsl.Generator.Emit.CSharp.Functions;

/// <summary>
/// The loops of the transforms that are built from others: a Jacobian row by row from VJPs
/// (jacrev) or column by column from JVPs (jacfwd), a Hessian column by column from the JVP of the
/// gradient, and Vmap calling the source once per element of the batch.
/// </summary>
internal static class Drivers
{
    public static void Write(SourceWriter w, DerivedMethodSpec spec)
    {
        switch (spec.Kind)
        {
            case TransformKind.Vmap: Vmap(w, spec); break;
            case TransformKind.JacRev: Rows(w, spec); break;
            case TransformKind.JacFwd or TransformKind.Hessian: Columns(w, spec); break;
            default: Jacobian(w, spec); break;
        }
    }

    /// <summary>A helper's arguments: the source's parameters, a tuple's leaves one by one, then <paramref name="extra"/>.</summary>
    private static string Arguments(DerivedMethodSpec spec, string extra) => string.Join(", ", spec.ParameterAccess.Append(extra));

    /// <summary>The parameter the Jacobian or Hessian is taken with respect to.</summary>
    private static string Input(DerivedMethodSpec spec) => spec.ParameterNames[spec.Input];

    private static string Element(DerivedMethodSpec spec) => Ir.Functions.Types.CSharp(spec.Helpers[0][spec.Helpers[0].Results[0]].Type);

    /// <summary>jacrev: row i is the pull-back of the i-th unit cotangent.</summary>
    private static void Rows(SourceWriter w, DerivedMethodSpec spec)
    {
        WriteValue(w, spec);
        RowLoop(w, spec);
    }

    private static void WriteValue(SourceWriter w, DerivedMethodSpec spec) =>
        w.Line($"{Element(spec)}[] value = {spec.Source}({string.Join(", ", spec.ParameterNames)});");

    /// <summary>The rows of the Jacobian, one VJP with each unit cotangent, given the source's <c>value</c>.</summary>
    private static void RowLoop(SourceWriter w, DerivedMethodSpec spec)
    {
        string input = Input(spec), t = Element(spec);
        string helper = spec.Helpers.First(h => h.Name.EndsWith("_Vjp")).Name;
        w.Line("// Row i of the Jacobian is the vector-Jacobian product with the i-th unit vector (JAX's jacrev).");
        w.Line($"var jacobian = new {t}[value.Length, {input}.Length];");
        w.Line($"var cotangent = new {t}[value.Length];");
        w.Open("for (int i = 0; i < value.Length; i++)");
        w.Line("cotangent[i] = 1;");
        w.Line($"var (_, row) = {helper}({Arguments(spec, "cotangent")});");
        w.Line("for (int j = 0; j < row.Length; j++) jacobian[i, j] = row[j];");
        w.Line("cotangent[i] = 0;");
        w.Close();
        w.Line("return jacobian;");
    }

    /// <summary>jacfwd (and the Hessian, forward over reverse): column j is the push-forward of the j-th unit tangent.</summary>
    private static void Columns(SourceWriter w, DerivedMethodSpec spec)
    {
        string input = Input(spec), t = Element(spec);
        string helper = spec.Helpers.First(h => h.Name.EndsWith("_Jvp")).Name;
        bool hessian = spec.Kind == TransformKind.Hessian;
        w.Line(hessian
            ? "// Column j of the Hessian is the derivative of the gradient along the j-th unit vector (forward over reverse, as JAX's hessian)."
            : "// Column j of the Jacobian is the Jacobian-vector product with the j-th unit vector (JAX's jacfwd).");
        w.Line($"var tangent = new {t}[{input}.Length];");
        w.Line($"{t}[,]? result = null;");
        w.Open($"for (int j = 0; j < {input}.Length; j++)");
        w.Line("tangent[j] = 1;");
        w.Line($"var (_, column) = {helper}({Arguments(spec, "tangent")});");
        w.Line($"result ??= new {t}[column.Length, {input}.Length];");
        w.Line("for (int i = 0; i < column.Length; i++) result[i, j] = column[i];");
        w.Line("tangent[j] = 0;");
        w.Close();
        w.Line(hessian
            ? $"return result ?? new {t}[0, 0];"
            : $"return result ?? new {t}[{spec.Source}({string.Join(", ", spec.ParameterNames)}).Length, 0];");
    }

    /// <summary>jacobian: rows by reverse mode when there are no more outputs than inputs, else columns by forward mode.</summary>
    private static void Jacobian(SourceWriter w, DerivedMethodSpec spec)
    {
        WriteValue(w, spec);
        w.Open($"if (value.Length > {Input(spec)}.Length)");
        w.Line("// More outputs than inputs: one forward pass per input is cheaper.");
        Columns(w, spec with { Kind = TransformKind.JacFwd });
        w.Close();
        RowLoop(w, spec);
    }

    /// <summary>vmap: the source once per element of the mapped parameters, the shared ones passed whole.</summary>
    private static void Vmap(SourceWriter w, DerivedMethodSpec spec)
    {
        var mapped = spec.ParameterNames.Where((_, i) => spec.Mapped[i]).ToList();
        string count = mapped[0] + ".Length";
        foreach (string other in mapped.Skip(1))
        {
            w.Open($"if ({other}.Length != {count})");
            w.Line($"throw new global::System.ArgumentException($\"{other} has {{{other}.Length}} elements but {mapped[0]} has {{{count}}}; Vmap maps them together.\", nameof({other}));");
            w.Close();
        }
        string args = string.Join(", ", spec.ParameterNames.Select((p, i) => spec.Mapped[i] ? p + "[i]" : p));
        var results = spec.SourceResults.Select((type, k) => (Name: spec.SourceResults.Count == 1 ? "results" : "results" + k, Type: type)).ToList();
        foreach (var (name, type) in results)
            w.Line($"var {name} = new {Allocation(type, count)};");
        w.Open($"for (int i = 0; i < {count}; i++)");
        if (results.Count == 1)
            w.Line($"results[i] = {spec.Source}({args});");
        else
        {
            w.Line($"var ({string.Join(", ", results.Select((_, k) => "item" + k))}) = {spec.Source}({args});");
            for (int k = 0; k < results.Count; k++) w.Line($"{results[k].Name}[i] = item{k};");
        }
        w.Close();
        w.Line("return " + (results.Count == 1 ? "results" : "(" + string.Join(", ", results.Select(r => r.Name)) + ")") + ";");
    }

    /// <summary><c>double[n]</c> for a batch of doubles, <c>double[n][]</c> for a batch of arrays.</summary>
    private static string Allocation(string element, string count) =>
        element.EndsWith("[]") ? element.Substring(0, element.Length - 2) + "[" + count + "][]" : element + "[" + count + "]";
}
