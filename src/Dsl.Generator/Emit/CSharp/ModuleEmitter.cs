using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Emit.CSharp;

/// <summary>
/// Writes <c>{Module}.Module.g.cs</c>, the generated part of a [Module] class: a constructor that
/// binds it to a model's parameters under its prefix (<c>blocks.0.</c>), its layers' eager bodies
/// reading their parameters there, and its children. A model's eager <c>Forward</c> then runs
/// through its modules on the same buffer the compiled program trains.
/// </summary>
internal static class ModuleEmitter
{
    private const string ParametersField = "_moduleParameters";
    private const string PrefixField = "_modulePrefix";

    public static GeneratedSource Emit(ModuleFile file)
    {
        ModuleSpec module = file.Module;
        var w = new SourceWriter();
        FileHeader.Write(w, "The eager layers, children and constructor of the module " + module.Name + ".");
        int blocks = 0;
        if (file.Namespace.Length > 0)
        {
            w.Open("namespace " + file.Namespace);
            blocks++;
        }
        foreach (string containing in file.ContainingTypes)
        {
            w.Open(containing);
            blocks++;
        }
        w.Open("partial class " + module.Name);
        blocks++;

        w.Line("private readonly " + TypeNames.ParameterStore + " " + ParametersField + ";");
        w.Line("private readonly string " + PrefixField + ";");
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Binds the module to a model's parameters: its own are those named <paramref name=\"prefix\"/> followed by");
        w.Line("/// its layer's name, e.g. <c>blocks.0.up.weight</c>. The model's child properties create it.");
        w.Line("/// </summary>");
        w.Open("public " + module.Name + "(" + TypeNames.ParameterStore + " parameters, string prefix)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(parameters);");
        w.Line(ParametersField + " = parameters;");
        w.Line(PrefixField + " = prefix ?? \"\";");
        w.Close();

        foreach (LayerStub stub in file.LayerStubs)
        {
            w.Line();
            if (module.Layers.FirstOrDefault(l => l.MethodName == stub.MethodName) is { } layer)
                layer.Kind.WriteEagerBody(w, layer, null, name => ParametersField + ".ToTensor(" + PrefixField + " + " + Literals.String(layer.ParameterName + "." + name) + ")");
            else
                w.Line($"{stub.Declaration} => throw new global::System.InvalidOperationException({Literals.String("Layer " + stub.MethodName + " of " + module.Name + " has DSL errors.")});");
        }
        WriteChildren(w, module.Children, ParametersField, PrefixField + " + ");
        foreach (PropertyStub stub in file.ChildStubs.Where(s => !module.Children.Any(c => c.PropertyName == s.Name)))
        {
            w.Line();
            w.Line(stub.Body("throw new global::System.InvalidOperationException(" + Literals.String("Child " + stub.Name + " of " + module.Name + " has DSL errors.") + ")"));
        }

        FileHeader.Close(w, blocks);
        return new GeneratedSource(file.FullName + ".Module.g.cs", w.ToString());
    }

    /// <summary>
    /// The bodies of child properties: each creates its module (or stack of modules) once, bound to
    /// <paramref name="parameters"/> under the child's prefix; <paramref name="prefix"/> is the
    /// expression the holder's own prefix is added with ("" in a model).
    /// </summary>
    public static void WriteChildren(SourceWriter w, EquatableArray<ChildSpec> children, string parameters, string prefix)
    {
        foreach (ChildSpec child in children)
        {
            string field = "_" + char.ToLowerInvariant(child.PropertyName[0]) + child.PropertyName.Substring(1) + "Child";
            string type = child.ModuleType + (child.Count is null ? "" : "[]");
            w.Line();
            if (child.Count is { } count)
            {
                w.Line($"// [Repeat({count})] {child.PropertyName}: {count} modules {child.ModuleType.Replace("global::", "")}, parameters {child.ParameterName}.0. to {child.ParameterName}.{count - 1}.; a compiled step unrolls the stack.");
                w.Line($"private {type}? {field};");
                w.Open($"{child.Declaration}");
                w.Line($"get => {field} ??= new {type}");
                w.Line("{");
                for (int i = 0; i < count; i++)
                    w.Line($"    new({parameters}, {prefix}{Literals.String(child.ParameterName + "." + i + ".")}),");
                w.Line("};");
                w.Close();
            }
            else
            {
                w.Line($"// {child.PropertyName}: a module {child.ModuleType.Replace("global::", "")}, parameters {child.ParameterName}.");
                w.Line($"private {type}? {field};");
                w.Line($"{child.Declaration} {{ get => {field} ??= new({parameters}, {prefix}{Literals.String(child.ParameterName + ".")}); }}");
            }
        }
    }
}
