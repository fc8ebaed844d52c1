using System;
using System.Linq;
using Xunit;

namespace Dsl.Tests.Optimizers;

public sealed class OptimizerTests
{
    public static TheoryData<string> Configurations => new()
    {
        "sgd", "sgd-momentum", "sgd-dampening", "sgd-nesterov", "sgd-decay", "sgd-nesterov-decay",
        "adam", "adam-decay", "adamw", "adamw-no-decay", "adam-clip", "sgd-momentum-clip",
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void MatchesTorchsDocumentedAlgorithm(string configuration)
    {
        // 100_003 floats: above the parallel threshold, with a ragged vector tail.
        foreach (int count in new[] { 37, 100_003 })
            RunAgainstReference(configuration, count, steps: 6);
    }

    [Fact]
    public void ComputesTheGlobalNormEveryStepAndCountsSteps()
    {
        var optimizer = new Sgd(0.1f);
        OptimizerState state = optimizer.CreateState(2);
        float[] p = [0, 0], g = [3, 4];
        state.Update(p, g);
        Assert.Equal(5f, state.LastGradientNorm);
        Assert.Equal(1, state.Step);
        state.Update(p, g);
        Assert.Equal(2, state.Step);
        Assert.Equal(new[] { -0.6f, -0.8f }, p);
    }

    [Fact]
    public void ClippingScalesTheUpdateButLeavesTheGradient()
    {
        var optimizer = new Sgd(1f) { ClipGradNorm = 1f };
        OptimizerState state = optimizer.CreateState(2);
        float[] p = [0, 0], g = [3, 4];
        state.Update(p, g);
        Assert.Equal(5f, state.LastGradientNorm);
        Assert.Equal(-0.6f, p[0], 5);
        Assert.Equal(-0.8f, p[1], 5);
        Assert.Equal(new[] { 3f, 4f }, g);

        // Below the limit nothing is scaled.
        float[] q = [0, 0];
        optimizer.ClipGradNorm = 10f;
        optimizer.CreateState(2).Update(q, g);
        Assert.Equal(new[] { -3f, -4f }, q);
    }

    [Fact]
    public void LearningRateChangesTakeEffectAtTheNextStep()
    {
        var optimizer = new Sgd(1f);
        OptimizerState state = optimizer.CreateState(1);
        float[] p = [0], g = [1];
        state.Update(p, g);
        optimizer.LearningRate = 0.5f;
        state.Update(p, g);
        Assert.Equal(-1.5f, p[0]);
    }

    [Fact]
    public void UpdateChecksLengths()
    {
        OptimizerState state = new Adam().CreateState(4);
        var error = Assert.Throws<ArgumentException>(() => state.Update(new float[3], new float[4]));
        Assert.Contains("Expected 4 parameters but got 3", error.Message);
        error = Assert.Throws<ArgumentException>(() => state.Update(new float[4], new float[5]));
        Assert.Contains("Expected 4 gradients but got 5", error.Message);
        Assert.Equal(0, state.Step);
    }

    [Fact]
    public void ConstructorsValidateHyperParameters()
    {
        AssertOutOfRange("learningRate", () => new Sgd(-1f));
        AssertOutOfRange("momentum", () => new Sgd(0.1f, momentum: -0.5f));
        AssertOutOfRange("momentum", () => new Sgd(0.1f, nesterov: true));
        AssertOutOfRange("dampening", () => new Sgd(0.1f, momentum: 0.9f, nesterov: true, dampening: 0.1f));
        AssertOutOfRange("weightDecay", () => new Sgd(0.1f, weightDecay: float.NaN));
        AssertOutOfRange("beta1", () => new Adam(beta1: 1f));
        AssertOutOfRange("beta2", () => new AdamW(beta2: -0.1f));
        AssertOutOfRange("epsilon", () => new Adam(epsilon: -1e-8f));
        AssertOutOfRange("learningRate", () => new AdamW(learningRate: float.PositiveInfinity));
        AssertOutOfRange("ClipGradNorm", () => new Adam { ClipGradNorm = 0f });
        AssertOutOfRange("LearningRate", () => new Adam().LearningRate = -2f);
        Assert.Equal(1e-2f, new AdamW().WeightDecay);
    }

    private static void AssertOutOfRange(string parameter, Func<object> create)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => create());
        Assert.Equal(parameter, error.ParamName);
    }

    private static void AssertOutOfRange(string parameter, Action assign)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(assign);
        Assert.Equal(parameter, error.ParamName);
    }

    private static void RunAgainstReference(string configuration, int count, int steps)
    {
        (Optimizer optimizer, Action<double[], double[]> reference, double? clip) = configuration switch
        {
            "sgd" => Pair(new Sgd(0.1f), new ReferenceOptimizers.Sgd(0.1, 0, 0, 0, false)),
            "sgd-momentum" => Pair(new Sgd(0.05f, momentum: 0.9f), new ReferenceOptimizers.Sgd(0.05, 0.9, 0, 0, false)),
            "sgd-dampening" => Pair(new Sgd(0.05f, momentum: 0.8f, dampening: 0.3f), new ReferenceOptimizers.Sgd(0.05, 0.8, 0.3, 0, false)),
            "sgd-nesterov" => Pair(new Sgd(0.05f, momentum: 0.9f, nesterov: true), new ReferenceOptimizers.Sgd(0.05, 0.9, 0, 0, true)),
            "sgd-decay" => Pair(new Sgd(0.1f, weightDecay: 0.01f), new ReferenceOptimizers.Sgd(0.1, 0, 0, 0.01, false)),
            "sgd-nesterov-decay" => Pair(new Sgd(0.05f, momentum: 0.7f, nesterov: true, weightDecay: 0.05f), new ReferenceOptimizers.Sgd(0.05, 0.7, 0, 0.05, true)),
            "adam" => Pair(new Adam(1e-2f), new ReferenceOptimizers.Adam(1e-2, 0.9, 0.999, 1e-8, 0, false)),
            "adam-decay" => Pair(new Adam(1e-2f, 0.8f, 0.99f, 1e-6f, 0.1f), new ReferenceOptimizers.Adam(1e-2, 0.8, 0.99, 1e-6, 0.1, false)),
            "adamw" => Pair(new AdamW(1e-2f, weightDecay: 0.1f), new ReferenceOptimizers.Adam(1e-2, 0.9, 0.999, 1e-8, 0.1, true)),
            "adamw-no-decay" => Pair(new AdamW(3e-3f, weightDecay: 0f), new ReferenceOptimizers.Adam(3e-3, 0.9, 0.999, 1e-8, 0, true)),
            "adam-clip" => Pair(new Adam(1e-2f) { ClipGradNorm = 0.5f }, new ReferenceOptimizers.Adam(1e-2, 0.9, 0.999, 1e-8, 0, false), 0.5),
            "sgd-momentum-clip" => Pair(new Sgd(0.1f, momentum: 0.9f) { ClipGradNorm = 1f }, new ReferenceOptimizers.Sgd(0.1, 0.9, 0, 0, false), 1.0),
            _ => throw new ArgumentException(configuration),
        };

        var random = new Random(count);
        float[] parameters = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        double[] expected = parameters.Select(v => (double)v).ToArray();
        OptimizerState state = optimizer.CreateState(count);
        for (int step = 1; step <= steps; step++)
        {
            float[] gradients = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            double[] referenceGradients = gradients.Select(v => (double)v).ToArray();
            double norm = ReferenceOptimizers.Clip(referenceGradients, clip);
            state.Update(parameters, gradients);
            reference(expected, referenceGradients);

            Assert.Equal(step, state.Step);
            Assert.Equal(norm, state.LastGradientNorm, norm * 1e-5);
            for (int i = 0; i < count; i++)
            {
                if (!(Math.Abs(parameters[i] - expected[i]) <= 1e-5 + 1e-5 * Math.Abs(expected[i])))
                    Assert.Fail($"{configuration}, {count} floats, step {step}, element {i}: expected {expected[i]} but got {parameters[i]}.");
            }
        }
    }

    private static (Optimizer, Action<double[], double[]>, double?) Pair(Optimizer optimizer, ReferenceOptimizers.Sgd reference, double? clip = null) =>
        (optimizer, reference.Step, clip);

    private static (Optimizer, Action<double[], double[]>, double?) Pair(Optimizer optimizer, ReferenceOptimizers.Adam reference, double? clip = null) =>
        (optimizer, reference.Step, clip);
}
