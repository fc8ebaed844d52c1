using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Ir.Functions;
using Dsl.Generator.Specs;
using Dsl.Generator.Transforms;

namespace Dsl.Generator.Emit.CSharp.Functions;

/// <summary>
/// Writes the file of one derived method: the body of the user's partial declaration (straight C#
/// from the derived IR, or a driver loop for Jacobians, Hessians and Vmap) and the private
/// VJP/JVP helpers a driver calls.
/// </summary>
internal static class DerivedMethodEmitter
{
    public static GeneratedSource Emit(DerivedMethodSpec spec)
    {
        var w = new SourceWriter();
        FileHeader.Write(w, $"Dsl: the {TransformKinds.Describe(spec.Kind)} of {spec.Source} ({spec.Origin}), [{spec.Kind}].");
        w.Line("using System; // the declaration below is the user's text, which may name System types such as ReadOnlySpan<double>");
        w.Line();
        int blocks = 0;
        if (spec.Namespace.Length > 0) { w.Open("namespace " + spec.Namespace); blocks++; }
        foreach (string type in spec.ContainingTypes) { w.Open(type); blocks++; }

        w.Open(spec.Header);
        string ownType = OwnType(spec);
        if (spec.Function is { } function)
            new FunctionBodyEmitter(function, Names(function, spec.ParameterAccess), w, ownType).Write();
        else
            Drivers.Write(w, spec);
        w.Close();
        var names = spec.ParameterNames.ToList();
        // A parameter passed whole keeps the user's type (a span stays a span); a tuple's leaf is typed from the IR.
        var leafTypes = spec.ParameterAccess.Select(a => a.Contains('.') ? null : spec.ParameterTypes[names.IndexOf(a)]).ToList();
        foreach (Function helper in spec.Helpers)
        {
            w.Line();
            WriteHelper(w, helper, spec.ParameterAccess.Select(Identifier).ToEquatableArray(), leafTypes, ownType);
        }
        for (int i = 0; i < blocks; i++) w.Close();
        return new GeneratedSource(spec.HintName, w.ToString());
    }

    /// <summary>The body of a derived method the generator could not derive: it throws, and the build already shows why.</summary>
    public static string EmitFailed(DerivedMethodSpec spec)
    {
        var w = new SourceWriter();
        FileHeader.Write(w, "Dsl: this derived method could not be generated; see the DSL diagnostic on its declaration.");
        foreach (string type in (spec.Namespace.Length > 0 ? new[] { "namespace " + spec.Namespace } : new string[0]).Concat(spec.ContainingTypes))
            w.Open(type);
        w.Open(spec.Header);
        w.Line("throw new global::System.NotSupportedException(\"Dsl could not generate this method; see the DSL diagnostic on its declaration.\");");
        w.Close();
        for (int i = 0; i < spec.ContainingTypes.Count + (spec.Namespace.Length > 0 ? 1 : 0); i++) w.Close();
        return w.ToString();
    }

    /// <summary><c>global::Ns.Outer.Inner.</c>: how generated code names the derived method's own type.</summary>
    private static string OwnType(DerivedMethodSpec spec) =>
        "global::" + (spec.Namespace.Length > 0 ? spec.Namespace + "." : "") + string.Join(".", spec.ContainingTypes.Select(t => t.Split(' ').Last())) + ".";

    /// <summary>A driver's helper; the parameters it shares with the user's method have the user's types, so a span is passed on as it is.</summary>
    private static void WriteHelper(SourceWriter w, Function f, EquatableArray<string> userNames, IReadOnlyList<string?> userTypes, string ownType)
    {
        var names = Names(f, userNames);
        string Type(string v) => f[v].TypeName;
        string ParameterType(int i) => i < userTypes.Count && userTypes[i] is { } declared ? declared : Type(f.Parameters[i]);
        string result = f.Results.Count == 1 ? Type(f.Results[0]) : "(" + string.Join(", ", f.Results.Select(Type)) + ")";
        w.Line("/// <summary>The " + (f.Name.EndsWith("_Vjp") ? "vector-Jacobian" : "Jacobian-vector") + " product the driver above calls once per row or column.</summary>");
        w.Open("private static " + result + " " + f.Name + "(" + string.Join(", ", f.Parameters.Select((p, i) => ParameterType(i) + " " + names(p))) + ")");
        new FunctionBodyEmitter(f, names, w, ownType).Write();
        w.Close();
    }

    /// <summary>A helper's parameter for a leaf the body reads as <c>p.Item1</c>: <c>p_Item1</c>.</summary>
    private static string Identifier(string access) => access.Replace('.', '_');

    /// <summary>The IR's parameters take the user's names (or tuple elements) in order; any local that would clash gets a suffix.</summary>
    private static System.Func<string, string> Names(Function f, EquatableArray<string> userNames)
    {
        var map = new Dictionary<string, string>();
        for (int i = 0; i < f.Parameters.Count && i < userNames.Count; i++)
            map[f.Parameters[i]] = userNames[i];
        var taken = new HashSet<string>(map.Values.Select(n => n.Split('.')[0]));
        foreach (Variable v in f.Variables)
        {
            if (map.ContainsKey(v.Name)) continue;
            string name = v.Name;
            for (int n = 2; taken.Contains(name); n++) name = v.Name + "_" + n;
            map[v.Name] = name;
            taken.Add(name);
        }
        return v => map.TryGetValue(v, out string? n) ? n : v;
    }
}
