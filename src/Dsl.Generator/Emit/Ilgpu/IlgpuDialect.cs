using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Ir;
using Dsl.Generator.Ops;

namespace Dsl.Generator.Emit.Ilgpu;

/// <summary>
/// ILGPU's C#: a public static method over <c>ArrayView&lt;float&gt;</c>s, explicitly grouped, whose body
/// is a grid-stride loop over the count elements (<c>Dsl.IlgpuGridStride</c>: the device launches a
/// bounded grid), C# float literals, and the op table's ILGPU column: the CPU loop's scalar C#
/// (<see cref="OpDefinition.Ilgpu"/>).
/// </summary>
internal sealed class IlgpuDialect : FusedKernelDialect
{
    public static IlgpuDialect Instance { get; } = new();

    private IlgpuDialect()
    {
    }

    public override string Signature(string name, IEnumerable<string> arrays, IEnumerable<string> results)
    {
        string view = TypeNames.ArrayView + "<float>";
        var parameters = new List<string> { "int count" };
        parameters.AddRange(arrays.Select(n => $"{view} a{n}, int o{n}"));
        parameters.AddRange(results.Select(n => $"{view} r{n}, int o{n}"));
        parameters.Add("float seed");
        parameters.Add($"uint {DropoutKeyLow}, uint {DropoutKeyHigh}, uint {DropoutStep}");
        return $"public static void {name}(\n    " + string.Join(",\n    ", parameters) + ")";
    }

    public override void OpenElements(SourceWriter w) =>
        w.Open($"for (int gid = {TypeNames.IlgpuGridStride}.Start; gid < count; gid += {TypeNames.IlgpuGridStride}.Stride)");

    public override void CloseElements(SourceWriter w) => w.Close();

    public override string Local(string type, string name, string value) => $"{type} {name} = {value};";

    public override string Scalar(OpKind op, string[] operands) => OpDefinition.RequireRendering(op, OpTable.Of(op).Ilgpu, operands);

    public override string Float(double value) => Literals.Float(value);

    public override string DropoutKeyLow => "dropoutKeyLow";

    public override string DropoutKeyHigh => "dropoutKeyHigh";

    public override string DropoutStep => "dropoutStep";
}
