namespace Dsl.Generator.Parsing;

/// <summary>The metadata names of the DSL's attributes and types, which the parser resolves symbols against.</summary>
internal static class KnownNames
{
    public const string ModelAttribute = "Dsl.ModelAttribute";
    public const string ModuleAttribute = "Dsl.ModuleAttribute";
    public const string RepeatAttribute = "Dsl.RepeatAttribute";
    public const string ForwardAttribute = "Dsl.ForwardAttribute";
    public const string TrainingStepAttribute = "Dsl.TrainingStepAttribute";
    public const string ValidationStepAttribute = "Dsl.ValidationStepAttribute";
    public const string OptimizerAttribute = "Dsl.OptimizerAttribute";
    public const string ShapeAttribute = "Dsl.ShapeAttribute";
    public const string DenseAttribute = "Dsl.DenseAttribute";
    public const string EmbeddingAttribute = "Dsl.EmbeddingAttribute";
    public const string LayerNormAttribute = "Dsl.LayerNormAttribute";
    public const string DropoutAttribute = "Dsl.DropoutAttribute";
    public const string MultiHeadAttentionAttribute = "Dsl.MultiHeadAttentionAttribute";
    public const string Conv2dAttribute = "Dsl.Conv2dAttribute";
    public const string Conv1dAttribute = "Dsl.Conv1dAttribute";
    public const string MaxPool2dAttribute = "Dsl.MaxPool2dAttribute";
    public const string AvgPool2dAttribute = "Dsl.AvgPool2dAttribute";
    public const string FlattenAttribute = "Dsl.FlattenAttribute";
    public const string AdaptiveAvgPool2dAttribute = "Dsl.AdaptiveAvgPool2dAttribute";
    public const string BatchNorm2dAttribute = "Dsl.BatchNorm2dAttribute";
    public const string BatchNorm1dAttribute = "Dsl.BatchNorm1dAttribute";

    // 1-D and adaptive pooling (issue 19)
    public const string MaxPool1dAttribute = "Dsl.MaxPool1dAttribute";
    public const string AvgPool1dAttribute = "Dsl.AvgPool1dAttribute";
    public const string AdaptiveAvgPool1dAttribute = "Dsl.AdaptiveAvgPool1dAttribute";
    public const string AdaptiveMaxPool1dAttribute = "Dsl.AdaptiveMaxPool1dAttribute";
    public const string AdaptiveMaxPool2dAttribute = "Dsl.AdaptiveMaxPool2dAttribute";
    public const string Tensor = "Dsl.Tensor";
    public const string Label = "Dsl.Label";
    public const string Tokens = "Dsl.Tokens";
    public const string Ops = "Dsl.Ops";
    public const string Optimizer = "Dsl.Optimizer";
    public const string Trainer = "Dsl.Trainer";

    /// <summary>
    /// The Trainer's hooks (Dsl.ITrainableModel's default methods) and the parameters after the
    /// Trainer each takes; a model overrides one by declaring it public with this signature.
    /// </summary>
    public static readonly (string Name, string ExtraParameter)[] TrainerHooks =
    {
        ("OnFitStart", ""), ("OnFitEnd", ""), ("OnTrainEpochStart", ""), ("OnTrainEpochEnd", ""),
        ("OnValidationEpochEnd", ""), ("OnTrainBatchEnd", "float"),
    };
}
