using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Emit.OpenCl;

/// <summary>
/// OpenCL C 1.2: a <c>__kernel</c> over <c>__global</c> float pointers, <c>const</c> locals, float
/// literals with the f suffix (no double), the op table's OpenCL column (<see cref="OpenClOps"/>).
/// </summary>
internal sealed class OpenClDialect : FusedKernelDialect
{
    public static OpenClDialect Instance { get; } = new();

    private OpenClDialect()
    {
    }

    public override string Signature(string name, IEnumerable<string> arrays, IEnumerable<string> results)
    {
        var parameters = new List<string> { "const int count" };
        parameters.AddRange(arrays.Select(n => $"__global const float* a{n}, const int o{n}"));
        parameters.AddRange(results.Select(n => $"__global float* r{n}, const int o{n}"));
        parameters.Add("const float seed");
        parameters.Add($"const uint {DropoutKeyLow}, const uint {DropoutKeyHigh}, const uint {DropoutStep}");
        return $"__kernel void {name}(\n    " + string.Join(",\n    ", parameters) + ")";
    }

    public override void OpenElements(SourceWriter w)
    {
        w.Line("const int gid = get_global_id(0);");
        w.Line("if (gid >= count) return;");
    }

    public override void CloseElements(SourceWriter w)
    {
    }

    public override string Local(string type, string name, string value) => $"const {type} {name} = {value};";

    public override string Scalar(OpKind op, string[] operands) => OpenClOps.Scalar(op, operands);

    public override string Float(double value) => Literals.CFloat(value);

    public override string DropoutKeyLow => "dropout_seed_lo";

    public override string DropoutKeyHigh => "dropout_seed_hi";

    public override string DropoutStep => "dropout_step";
}
