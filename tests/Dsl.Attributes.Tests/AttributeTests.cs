using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Dsl.Attributes.Tests;

public class AttributeTests
{
    [Theory]
    [InlineData(typeof(ModelAttribute), AttributeTargets.Class)]
    [InlineData(typeof(ForwardAttribute), AttributeTargets.Method)]
    [InlineData(typeof(TrainingStepAttribute), AttributeTargets.Method)]
    [InlineData(typeof(ValidationStepAttribute), AttributeTargets.Method)]
    [InlineData(typeof(OptimizerAttribute), AttributeTargets.Method)]
    [InlineData(typeof(DenseAttribute), AttributeTargets.Method)]
    [InlineData(typeof(ShapeAttribute), AttributeTargets.Parameter)]
    [InlineData(typeof(CustomVjpAttribute), AttributeTargets.Method)]
    [InlineData(typeof(CustomJvpAttribute), AttributeTargets.Method)]
    [InlineData(typeof(ModuleAttribute), AttributeTargets.Class)]
    [InlineData(typeof(RepeatAttribute), AttributeTargets.Property)]
    [InlineData(typeof(MaxPool1dAttribute), AttributeTargets.Method)]
    [InlineData(typeof(AvgPool1dAttribute), AttributeTargets.Method)]
    [InlineData(typeof(AdaptiveAvgPool1dAttribute), AttributeTargets.Method)]
    [InlineData(typeof(AdaptiveMaxPool1dAttribute), AttributeTargets.Method)]
    [InlineData(typeof(AdaptiveMaxPool2dAttribute), AttributeTargets.Method)]
    public void Attributes_AreSealedAndTargetedOnce(Type type, AttributeTargets targets)
    {
        var usage = type.GetCustomAttribute<AttributeUsageAttribute>()!;
        Assert.True(type.IsSealed);
        Assert.Equal("Dsl", type.Namespace);
        Assert.Equal(targets, usage.ValidOn);
        Assert.False(usage.AllowMultiple);
        Assert.False(usage.Inherited);
    }

    /// <summary>PyTorch's defaults of nn.MaxPool1d and nn.AvgPool1d: stride unset (the kernel), no padding, dilation 1; a square AdaptiveMaxPool2d.</summary>
    [Fact]
    public void Pooling1d_HasPyTorchsDefaults()
    {
        var max = new MaxPool1dAttribute(3);
        Assert.Equal((3, 0, 0, 1), (max.KernelSize, max.Stride, max.Padding, max.Dilation));
        var average = new AvgPool1dAttribute(2) { Stride = 1, Padding = 1 };
        Assert.Equal((2, 1, 1), (average.KernelSize, average.Stride, average.Padding));
        Assert.Equal((4, 4), (new AdaptiveMaxPool2dAttribute(4).OutputHeight, new AdaptiveMaxPool2dAttribute(4).OutputWidth));
        Assert.Equal(5, new AdaptiveAvgPool1dAttribute(5).OutputSize);
        Assert.Equal(5, new AdaptiveMaxPool1dAttribute(5).OutputSize);
    }

    [Fact]
    public void Dense_HasABiasByDefault()
    {
        var dense = new DenseAttribute(16);
        Assert.Equal(16, dense.OutFeatures);
        Assert.True(dense.Bias);
        Assert.False(new DenseAttribute(2) { Bias = false }.Bias);
    }

    [Fact]
    public void Repeat_KeepsItsCount() => Assert.Equal(6, new RepeatAttribute(6).Count);

    [Fact]
    public void Shape_KeepsTheDimensions()
    {
        Assert.Equal(new[] { 28, 28 }, new ShapeAttribute(28, 28).Dimensions);
        Assert.Empty(new ShapeAttribute().Dimensions);
    }

    [Fact]
    public void Attributes_AreReadableFromAModel()
    {
        // What reflection sees on the sample model (the generator reads the same from syntax).
        var type = typeof(TinyClassifier);
        Assert.NotNull(type.GetCustomAttribute<ModelAttribute>());

        var forward = type.GetMethod(nameof(TinyClassifier.Forward))!;
        Assert.NotNull(forward.GetCustomAttribute<ForwardAttribute>());
        Assert.Equal(new[] { 2 }, forward.GetParameters()[0].GetCustomAttribute<ShapeAttribute>()!.Dimensions);

        var hidden = type.GetMethod("Hidden", BindingFlags.NonPublic | BindingFlags.Instance)!;
        Assert.Equal(3, hidden.GetCustomAttribute<DenseAttribute>()!.OutFeatures);
    }

    /// <summary>JAX's has_aux exists for grad and value_and_grad here; other transforms would reject it, so they do not offer it.</summary>
    [Fact]
    public void HasAux_IsOfferedByTheGradientTransformsOnly()
    {
        var offering = typeof(TransformAttribute).Assembly.GetExportedTypes()
            .Where(t => typeof(TransformAttribute).IsAssignableFrom(t) && t.GetProperty("HasAux") is not null)
            .Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(new[] { "GradAttribute", "ValueAndGradAttribute" }, offering);
        Assert.True(new GradAttribute("F") { HasAux = true }.HasAux);
        Assert.False(new ValueAndGradAttribute("F").HasAux);
    }

    [Fact]
    public void CustomRules_NameTheirFunction()
    {
        Assert.Equal("SafeLog", new CustomVjpAttribute("SafeLog").Function);
        Assert.Equal("Softplus", new CustomJvpAttribute("Softplus").Function);
    }

    [Fact]
    public void PublicApi_IsInTheDslNamespace()
    {
        var exported = typeof(Tensor).Assembly.GetExportedTypes().Select(t => t.FullName).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(
            new[]
            {
                "Dsl.AdaptiveAvgPool1dAttribute", "Dsl.AdaptiveAvgPool2dAttribute", "Dsl.AdaptiveMaxPool1dAttribute", "Dsl.AdaptiveMaxPool2dAttribute",
                "Dsl.AvgPool1dAttribute", "Dsl.AvgPool2dAttribute", "Dsl.BatchNorm1dAttribute", "Dsl.BatchNorm2dAttribute",
                "Dsl.Conv1dAttribute", "Dsl.Conv2dAttribute",
                "Dsl.CustomJvpAttribute", "Dsl.CustomVjpAttribute", "Dsl.DenseAttribute", "Dsl.DifferentiableAttribute", "Dsl.DropoutAttribute", "Dsl.EagerLayers",
                "Dsl.EagerLog", "Dsl.EmbeddingAttribute", "Dsl.FlattenAttribute", "Dsl.ForwardAttribute",
                "Dsl.GradAttribute", "Dsl.HessianAttribute", "Dsl.JacFwdAttribute", "Dsl.JacRevAttribute", "Dsl.JacobianAttribute",
                "Dsl.JvpAttribute", "Dsl.Label", "Dsl.LayerNormAttribute", "Dsl.MaxPool1dAttribute", "Dsl.MaxPool2dAttribute", "Dsl.ModelAttribute", "Dsl.ModuleAttribute", "Dsl.MultiHeadAttentionAttribute", "Dsl.Ops", "Dsl.OptimizerAttribute", "Dsl.RepeatAttribute", "Dsl.ShapeAttribute",
                "Dsl.Tensor", "Dsl.Tokens", "Dsl.TrainingStepAttribute", "Dsl.TransformAttribute", "Dsl.ValidationStepAttribute",
                "Dsl.ValueAndGradAttribute", "Dsl.VjpAttribute", "Dsl.VmapAttribute",
            },
            exported);
    }
}
