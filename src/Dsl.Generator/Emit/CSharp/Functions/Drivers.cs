using System.Collections.Generic;
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
        var locals = new Locals(spec);
        switch (spec.Kind)
        {
            case TransformKind.Vmap: Vmap(w, spec, locals); break;
            case TransformKind.JacRev: Rows(w, spec, locals); break;
            case TransformKind.JacFwd or TransformKind.Hessian: Columns(w, spec, locals); break;
            default: Jacobian(w, spec, locals); break;
        }
    }

    /// <summary>
    /// The names of a driver's own locals: the stem (<c>value</c>, <c>i</c>, ...) unless a user
    /// parameter or a method the driver calls has it, else stem_2, stem_3, ...; a clash would be
    /// C#'s CS0136 in the generated code.
    /// </summary>
    private sealed class Locals
    {
        private readonly HashSet<string> _taken;
        private readonly Dictionary<string, string> _names = new();

        public Locals(DerivedMethodSpec spec) =>
            _taken = new HashSet<string>(spec.ParameterNames.Append(spec.Source).Concat(spec.Helpers.Select(h => h.Name)));

        public string this[string stem]
        {
            get
            {
                if (_names.TryGetValue(stem, out string? known)) return known;
                string name = stem;
                for (int n = 2; _taken.Contains(name); n++) name = stem + "_" + n;
                _taken.Add(name);
                return _names[stem] = name;
            }
        }
    }

    /// <summary>A helper's arguments: the source's parameters, a tuple's leaves one by one, then <paramref name="extra"/>.</summary>
    private static string Arguments(DerivedMethodSpec spec, string extra) => string.Join(", ", spec.ParameterAccess.Append(extra));

    /// <summary>The parameter the Jacobian or Hessian is taken with respect to.</summary>
    private static string Input(DerivedMethodSpec spec) => spec.ParameterNames[spec.Input];

    private static string Element(DerivedMethodSpec spec) => Ir.Functions.Types.CSharp(spec.Helpers[0][spec.Helpers[0].Results[0]].Type);

    /// <summary>jacrev: row i is the pull-back of the i-th unit cotangent.</summary>
    private static void Rows(SourceWriter w, DerivedMethodSpec spec, Locals l)
    {
        WriteValue(w, spec, l);
        RowLoop(w, spec, l);
    }

    private static void WriteValue(SourceWriter w, DerivedMethodSpec spec, Locals l) =>
        w.Line($"{Element(spec)}[] {l["value"]} = {spec.Source}({string.Join(", ", spec.ParameterNames)});");

    /// <summary>The rows of the Jacobian, one VJP with each unit cotangent, given the source's <c>value</c>.</summary>
    private static void RowLoop(SourceWriter w, DerivedMethodSpec spec, Locals l)
    {
        string input = Input(spec), t = Element(spec);
        string helper = spec.Helpers.First(h => h.Name.EndsWith("_Vjp")).Name;
        string value = l["value"], jacobian = l["jacobian"], cotangent = l["cotangent"], row = l["row"], i = l["i"], j = l["j"];
        w.Line("// Row i of the Jacobian is the vector-Jacobian product with the i-th unit vector (JAX's jacrev).");
        w.Line($"var {jacobian} = new {t}[{value}.Length, {input}.Length];");
        w.Line($"var {cotangent} = new {t}[{value}.Length];");
        w.Open($"for (int {i} = 0; {i} < {value}.Length; {i}++)");
        w.Line($"{cotangent}[{i}] = 1;");
        w.Line($"var {row} = {helper}({Arguments(spec, cotangent)});");
        w.Line($"for (int {j} = 0; {j} < {row}.Length; {j}++) {jacobian}[{i}, {j}] = {row}[{j}];");
        w.Line($"{cotangent}[{i}] = 0;");
        w.Close();
        w.Line($"return {jacobian};");
    }

    /// <summary>jacfwd (and the Hessian, forward over reverse): column j is the push-forward of the j-th unit tangent.</summary>
    private static void Columns(SourceWriter w, DerivedMethodSpec spec, Locals l)
    {
        string input = Input(spec), t = Element(spec);
        string helper = spec.Helpers.First(h => h.Name.EndsWith("_Jvp")).Name;
        string tangent = l["tangent"], result = l["result"], column = l["column"], i = l["i"], j = l["j"];
        bool hessian = spec.Kind == TransformKind.Hessian;
        w.Line(hessian
            ? "// Column j of the Hessian is the derivative of the gradient along the j-th unit vector (forward over reverse, as JAX's hessian)."
            : "// Column j of the Jacobian is the Jacobian-vector product with the j-th unit vector (JAX's jacfwd).");
        w.Line($"var {tangent} = new {t}[{input}.Length];");
        w.Line($"{t}[,]? {result} = null;");
        w.Open($"for (int {j} = 0; {j} < {input}.Length; {j}++)");
        w.Line($"{tangent}[{j}] = 1;");
        w.Line($"var {column} = {helper}({Arguments(spec, tangent)});");
        w.Line($"{result} ??= new {t}[{column}.Length, {input}.Length];");
        w.Line($"for (int {i} = 0; {i} < {column}.Length; {i}++) {result}[{i}, {j}] = {column}[{i}];");
        w.Line($"{tangent}[{j}] = 0;");
        w.Close();
        w.Line(hessian
            ? $"return {result} ?? new {t}[0, 0];"
            : $"return {result} ?? new {t}[{spec.Source}({string.Join(", ", spec.ParameterNames)}).Length, 0];");
    }

    /// <summary>jacobian: rows by reverse mode when there are no more outputs than inputs, else columns by forward mode.</summary>
    private static void Jacobian(SourceWriter w, DerivedMethodSpec spec, Locals l)
    {
        WriteValue(w, spec, l);
        w.Open($"if ({l["value"]}.Length > {Input(spec)}.Length)");
        w.Line("// More outputs than inputs: one forward pass per input is cheaper.");
        Columns(w, spec with { Kind = TransformKind.JacFwd }, l);
        w.Close();
        RowLoop(w, spec, l);
    }

    /// <summary>vmap: the source once per element of the mapped parameters, the shared ones passed whole.</summary>
    private static void Vmap(SourceWriter w, DerivedMethodSpec spec, Locals l)
    {
        var mapped = spec.ParameterNames.Where((_, k) => spec.Mapped[k]).ToList();
        string count = mapped[0] + ".Length", i = l["i"];
        foreach (string other in mapped.Skip(1))
        {
            w.Open($"if ({other}.Length != {count})");
            w.Line($"throw new global::System.ArgumentException($\"{other} has {{{other}.Length}} elements but {mapped[0]} has {{{count}}}; Vmap maps them together.\", nameof({other}));");
            w.Close();
        }
        string args = string.Join(", ", spec.ParameterNames.Select((p, k) => spec.Mapped[k] ? p + "[" + i + "]" : p));
        var results = spec.SourceResults.Select((type, k) => (Name: l[spec.SourceResults.Count == 1 ? "results" : "results" + k], Type: type)).ToList();
        foreach (var (name, type) in results)
            w.Line($"var {name} = new {Allocation(type, count)};");
        w.Open($"for (int {i} = 0; {i} < {count}; {i}++)");
        if (results.Count == 1)
            w.Line($"{results[0].Name}[{i}] = {spec.Source}({args});");
        else
        {
            var items = results.Select((_, k) => l["item" + k]).ToList();
            w.Line($"var ({string.Join(", ", items)}) = {spec.Source}({args});");
            for (int k = 0; k < results.Count; k++) w.Line($"{results[k].Name}[{i}] = {items[k]};");
        }
        w.Close();
        w.Line("return " + (results.Count == 1 ? results[0].Name : "(" + string.Join(", ", results.Select(r => r.Name)) + ")") + ";");
    }

    /// <summary><c>double[n]</c> for a batch of doubles, <c>double[n][]</c> for a batch of arrays, <c>double[n][,]</c> for a batch of matrices.</summary>
    private static string Allocation(string element, string count) => Ir.Functions.Types.ArrayOf(element, "[" + count + "]");
}
