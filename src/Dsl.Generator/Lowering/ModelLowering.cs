using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Ir;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Lowering;

/// <summary>
/// Lowers a parsed model to IR: one graph per entry point ([Forward], [TrainingStep],
/// [ValidationStep]), with model methods inlined and layers expanded to their primitive ops.
/// Shapes are inferred as nodes are made; every problem becomes a diagnostic at the user's line.
/// </summary>
internal sealed class ModelLowering
{
    private readonly ModelSpec _model;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly Dictionary<string, Shape> _layerInputs = new();
    private readonly HashSet<string> _calledLayers = new();

    private ModelLowering(ModelSpec model, List<DiagnosticInfo> diagnostics)
    {
        _model = model;
        _diagnostics = diagnostics;
    }

    /// <summary>Lowers <paramref name="model"/>; returns null when an error was reported.</summary>
    public static LoweredModel? Lower(ModelSpec model, List<DiagnosticInfo> diagnostics)
    {
        var lowering = new ModelLowering(model, diagnostics);
        int errorsBefore = diagnostics.Count(d => !d.Descriptor.IsWarning);

        MethodSpec? forward = model.Methods.FirstOrDefault(m => m.Role == MethodRole.Forward);
        if (forward is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingForward, model.Location, model.Name));
            return null;
        }

        LoweredEntry? forwardEntry = lowering.LowerEntry(forward);
        LoweredEntry? train = model.Methods.FirstOrDefault(m => m.Role == MethodRole.TrainingStep) is { } t ? lowering.LowerEntry(t) : null;
        LoweredEntry? validation = model.Methods.FirstOrDefault(m => m.Role == MethodRole.ValidationStep) is { } v ? lowering.LowerEntry(v) : null;

        if (forwardEntry is null || diagnostics.Count(d => !d.Descriptor.IsWarning) > errorsBefore)
            return null;

        // Only a model that lowered cleanly knows which layers are never called.
        var layers = new List<ResolvedLayer>();
        lowering.Collect(model.Root, ModuleInstance.Root, layers, new HashSet<LocationInfo?>());
        return new LoweredModel(model, forwardEntry, train, validation, layers.ToEquatableArray());
    }

    /// <summary>
    /// The layers of <paramref name="owner"/> placed at <paramref name="instance"/>, in declaration
    /// order with each child's layers where the child is declared: PyTorch's <c>state_dict</c> order.
    /// A layer never called is reported once at its declaration, however many instances skip it.
    /// </summary>
    private void Collect(ModuleSpec owner, ModuleInstance instance, List<ResolvedLayer> layers, HashSet<LocationInfo?> reported)
    {
        foreach (string member in owner.Members)
        {
            if (owner.Children.FirstOrDefault(c => c.PropertyName == member) is { } child)
            {
                ModuleSpec module = Module(child.ModuleType);
                if (child.Count is { } count)
                    for (int i = 0; i < count; i++) Collect(module, instance.Child(child, i), layers, reported);
                else
                    Collect(module, instance.Child(child, null), layers, reported);
                continue;
            }
            if (owner.Layers.FirstOrDefault(l => l.MethodName == member) is not { } declared)
                continue;
            LayerSpec layer = instance.Place(declared);
            // A layer without parameters (dropout) takes any shape, so it is not a resolved layer.
            bool called = layer.Kind.HasParameters ? _layerInputs.ContainsKey(layer.MethodName) : _calledLayers.Contains(layer.MethodName);
            if (called && layer.Kind.HasParameters)
                layers.Add(new ResolvedLayer(layer, _layerInputs[layer.MethodName]) { IsNested = instance != ModuleInstance.Root });
            else if (!called && reported.Add(declared.Location))
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusedLayer, declared.Location, layer.MethodName));
        }
    }

    /// <summary>The [Module] a child holds, by its type name.</summary>
    internal ModuleSpec Module(string typeName) => _model.Modules.First(m => m.TypeName == typeName);

    private LoweredEntry? LowerEntry(MethodSpec method)
    {
        var builder = new GraphBuilder { KeepsGeluFactor = method.Role == MethodRole.TrainingStep };
        var entry = new EntryLowering(this, builder, method);
        Value? result = entry.Run();
        if (result is null && method.ReturnsTensor)
            return null;

        switch (method.Role)
        {
            case MethodRole.Forward when result is TensorValue output:
                builder.Output("output", OutputRole.Output, output.Node);
                break;
            case MethodRole.Forward when result is TupleValue outputs:
                // One output per element of the returned tuple, named as the tuple names them (the compiled Predict's spans).
                for (int i = 0; i < outputs.Elements.Count && i < method.OutputNames.Count; i++)
                    if (outputs.Elements[i] is TensorValue element)
                        builder.Output(method.OutputNames[i], OutputRole.Output, element.Node);
                break;
            case MethodRole.TrainingStep when result is TensorValue loss:
                if (!builder[loss.Node].Shape.IsScalar)
                {
                    Report(DiagnosticDescriptors.NotScalar, entry.ReturnLocation ?? method.Location, "The loss returned by [TrainingStep] '" + method.Name + "'", builder[loss.Node].Shape);
                    return null;
                }
                builder.Output("loss", OutputRole.Loss, loss.Node);
                break;
        }

        var inputs = new List<EntryInput>();
        foreach (ParameterSpec parameter in method.Parameters)
        {
            if (parameter.Kind == ValueKind.Label)
            {
                inputs.Add(new EntryInput(parameter.Name, ValueKind.Label, Shape.Scalar));
            }
            else if (entry.InputShape(parameter.Name) is { } shape)
            {
                inputs.Add(new EntryInput(parameter.Name, parameter.Kind, shape));
            }
            else
            {
                Report(DiagnosticDescriptors.MissingShape, parameter.Location, parameter.Name);
                return null;
            }
        }
        var lowered = new LoweredEntry(method.Name, inputs.ToEquatableArray(), builder.Build(), method.Location) { ReturnLocation = entry.ReturnLocation };
        if (method.Role != MethodRole.Forward || entry.LayerCalls.Count == 0)
            return lowered;
        // The ONNX export's graph, and the calls by its ids; a call whose output is its input (a Flatten of a vector) is no operator.
        var calls = entry.LayerCalls.Where(c => c.Output != c.Input).ToList();
        Graph exported = builder.Build(calls.SelectMany(c => new[] { c.Input, c.Output }), out int[] renumbered);
        var layerCalls = calls.Select(c => c with { Input = renumbered[c.Input], Output = renumbered[c.Output] }).Distinct().ToEquatableArray();
        return lowered with { ExportGraph = exported, LayerCalls = layerCalls };
    }

    internal ModelSpec Model => _model;

    internal void Report(DslDiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));

    /// <summary>Records that a layer without parameters is called, so it is not reported unused.</summary>
    internal void MarkCalled(LayerSpec layer) => _calledLayers.Add(layer.MethodName);

    /// <summary>Records a layer's input size at its first call and checks later calls against it.</summary>
    internal bool BindLayerInput(LayerSpec layer, Shape input, LocationInfo? location)
    {
        if (_layerInputs.TryGetValue(layer.MethodName, out Shape? bound))
        {
            if (layer.Kind.SameInput(bound, input)) return true;
            Report(DiagnosticDescriptors.LayerInputConflict, location, layer.MethodName, layer.Kind.BoundInput(bound), input);
            return false;
        }
        _layerInputs[layer.MethodName] = input;
        return true;
    }
}
