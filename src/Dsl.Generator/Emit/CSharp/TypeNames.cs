namespace Dsl.Generator.Emit.CSharp;

/// <summary>The fully qualified names generated C# refers to, in one place (STJ's <c>*TypeRef</c> constants).</summary>
internal static class TypeNames
{
    public const string Tensor = "global::Dsl.Tensor";
    public const string Tokens = "global::Dsl.Tokens";
    public const string EagerLayers = "global::Dsl.EagerLayers";
    public const string Device = "global::Dsl.Device";
    public const string DeviceKind = "global::Dsl.DeviceKind";
    public const string CompiledProgram = "global::Dsl.CompiledProgram";
    public const string MetricSet = "global::Dsl.MetricSet";
    public const string LossReduction = "global::Dsl.LossReduction";
    public const string ParameterStore = "global::Dsl.ParameterStore";
    public const string ParameterSpec = "global::Dsl.ParameterSpec";
    public const string OptimizerState = "global::Dsl.OptimizerState";
    public const string NonFiniteLossException = "global::Dsl.NonFiniteLossException";
    public const string ITrainableModel = "global::Dsl.ITrainableModel";
    public const string Batch = "global::Dsl.Batch";
    public const string StepSignature = "global::Dsl.StepSignature";
    public const string StepInput = "global::Dsl.StepInput";
    public const string ColumnType = "global::Dsl.ColumnType";
    public const string DeviceBuffer = "global::Dsl.DeviceBuffer";
    public const string DeviceKernels = "global::Dsl.DeviceKernels";
    public const string FusedKernels = "global::Dsl.FusedKernels";
    public const string FusedKernelSources = "global::Dsl.FusedKernelSources";
    public const string FusedScalars = "global::Dsl.FusedScalars";
    public const string DeviceOptimizer = "global::Dsl.DeviceOptimizer";
    public const string DeviceBufferCopy = "global::Dsl.DeviceBufferCopy";
    public const string HostDeviceState = "global::Dsl.HostDeviceState";
    public const string GradientBucket = "global::Dsl.GradientBucket";
    public const string BucketGradients = "global::Dsl.BucketGradients";
    public const string Gemm = "global::Dsl.Kernels.Gemm";
    public const string Rows = "global::Dsl.Kernels.Rows";
    public const string Sequences = "global::Dsl.Kernels.Sequences";
    public const string Movement = "global::Dsl.Kernels.Movement";
    public const string Convolution = "global::Dsl.Kernels.Convolution";
    public const string Pooling = "global::Dsl.Kernels.Pooling";
    public const string Attention = "global::Dsl.Kernels.Attention";
    public const string LayerNormKernels = "global::Dsl.Kernels.LayerNormKernels";
    public const string BatchNormKernels = "global::Dsl.Kernels.BatchNormKernels";
    public const string DropoutMask = "global::Dsl.Kernels.DropoutMask";
    public const string SimdMath = "global::Dsl.Kernels.SimdMath";
    public const string IlgpuScalarMath = "global::Dsl.IlgpuScalarMath";
    public const string FusedKernelMethods = "global::Dsl.FusedKernelMethods";
    public const string IlgpuGridStride = "global::Dsl.IlgpuGridStride";
    public const string ArrayView = "global::ILGPU.ArrayView";
    public const string CpuParallel = "global::Dsl.Kernels.CpuParallel";
    public const string GemmEpilogue = "global::Dsl.Kernels.GemmEpilogue";
    public const string InputGuard = "global::Dsl.Kernels.InputGuard";
    public const string Vector256 = "global::System.Runtime.Intrinsics.Vector256";
    public const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    public const string MathF = "global::System.MathF";
    public const string ReadOnlySpan = "global::System.ReadOnlySpan";
    public const string Span = "global::System.Span";
    public const string InvalidOperationException = "global::System.InvalidOperationException";
    public const string ObjectDisposedException = "global::System.ObjectDisposedException";
    public const string Action = "global::System.Action<int, int>";
    public const string GeneratedCode = "global::System.CodeDom.Compiler.GeneratedCode";
    public const string IReadOnlyList = "global::System.Collections.Generic.IReadOnlyList";

    /// <summary>The generator's name and version, as <c>[GeneratedCode]</c> states them.</summary>
    public const string GeneratedCodeAttribute = "[" + GeneratedCode + "(\"Dsl.Generator\", \"0.1.0\")]";
}
