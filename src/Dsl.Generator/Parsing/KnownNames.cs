namespace Dsl.Generator.Parsing;

/// <summary>The metadata names of the DSL's attributes and types, which the parser resolves symbols against.</summary>
internal static class KnownNames
{
    public const string ModelAttribute = "Dsl.ModelAttribute";
    public const string ForwardAttribute = "Dsl.ForwardAttribute";
    public const string TrainingStepAttribute = "Dsl.TrainingStepAttribute";
    public const string ValidationStepAttribute = "Dsl.ValidationStepAttribute";
    public const string OptimizerAttribute = "Dsl.OptimizerAttribute";
    public const string ShapeAttribute = "Dsl.ShapeAttribute";
    public const string DenseAttribute = "Dsl.DenseAttribute";
    public const string Tensor = "Dsl.Tensor";
    public const string Label = "Dsl.Label";
    public const string Ops = "Dsl.Ops";
    public const string Optimizer = "Dsl.Optimizer";
}
