using System;
using System.IO;
using System.Linq;
using Dsl.Checkpoints;
using Dsl.EndToEnd.Tests.Models;
using Dsl.EndToEnd.Tests.Training;
using Xunit;

namespace Dsl.EndToEnd.Tests.Modules;

/// <summary>
/// [Module] children and [Repeat] stacks seen from outside: PyTorch's dotted parameter names in
/// state_dict order, each layer's own initialisation, eager modules bound to their own slice of
/// the buffer, and the names a Trainer checkpoint carries. (Compiled against eager, the gradient
/// check and training run in <see cref="CompiledVersusEagerTests"/>; OpenCL parity in
/// <c>OpenClParityTests</c>.)
/// </summary>
public sealed class ModuleTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static readonly string[] s_block = { "norm.weight", "norm.bias", "up.weight", "up.bias", "down.weight", "down.bias" };

    private static readonly string[] s_expectedNames =
        new[] { "encoder.in.weight", "encoder.in.bias" }
        .Concat(s_block.Select(n => "encoder.refine." + n))
        .Concat(Enumerable.Range(0, 3).SelectMany(i => s_block.Select(n => "blocks." + i + "." + n)))
        .Concat(new[] { "norm.weight", "norm.bias", "head.weight", "head.bias" })
        .ToArray();

    [Fact]
    public void ParametersAreNamedLikePyTorchsStateDictInDeclarationOrder()
    {
        Assert.Equal(s_expectedNames, ResidualMlp.ParameterSpecs.Select(s => s.Name).ToArray());
        int count = ResidualMlp.ParameterCount;
        Assert.Equal(10 * 7 + 10 + 4 * (10 + 10 + 16 * 10 + 16 + 10 * 16 + 10) + 10 + 10 + 3 * 10 + 3, count);
    }

    [Fact]
    public void EachLayerInsideAModuleKeepsItsOwnShapeAndInitialisation()
    {
        var specs = ResidualMlp.ParameterSpecs.ToDictionary(s => s.Name);
        Assert.Equal(new[] { 16, 10 }, specs["blocks.2.up.weight"].Shape);
        Assert.Equal(10, specs["blocks.2.up.weight"].FanIn);
        Assert.Equal(16, specs["encoder.refine.down.weight"].FanIn);
        Assert.Equal(ParameterInit.Ones, specs["blocks.1.norm.weight"].Init);
        Assert.Equal(ParameterInit.Zeros, specs["blocks.1.norm.bias"].Init);
        Assert.Equal(ParameterInit.Uniform, specs["encoder.in.weight"].Init);

        var model = new ResidualMlp(seed: 3);
        Assert.All(model.Parameters.ToTensor("blocks.0.norm.weight").Data.ToArray(), v => Assert.Equal(1.0, v));
        // Two modules of one stack are not one module: their weights are drawn independently.
        Assert.NotEqual(model.Parameters.ToTensor("blocks.0.up.weight").Data.ToArray(), model.Parameters.ToTensor("blocks.1.up.weight").Data.ToArray());
    }

    [Fact]
    public void AnEagerModuleReadsOnlyItsOwnParameters()
    {
        var model = new ResidualMlp(seed: 5);
        Tensor x = Tensor.FromFloats(Enumerable.Range(0, ResidualMlp.Inputs).Select(i => 0.1f * i - 0.3f).ToArray(), ResidualMlp.Inputs);
        double[] before = model.Forward(x).Data.ToArray();

        // Zeroing block 1's down projection makes that block the identity (x + 0): the output changes,
        // and block 0 and 2's parameters are untouched.
        float[] block0 = model.Parameters.ToTensor("blocks.0.down.weight").Data.ToArray().Select(v => (float)v).ToArray();
        Span<float> buffer = model.Parameters.Buffer;
        int offset = ResidualMlp.ParameterSpecs.TakeWhile(s => s.Name != "blocks.1.down.weight").Sum(s => s.Shape.Aggregate(1, (a, b) => a * b));
        buffer.Slice(offset, 10 * 16 + 10).Clear();
        double[] after = model.Forward(x).Data.ToArray();

        Assert.NotEqual(before, after);
        Assert.Equal(block0, model.Parameters.ToTensor("blocks.0.down.weight").Data.ToArray().Select(v => (float)v).ToArray());
        Assert.All(model.Parameters.ToTensor("blocks.1.down.bias").Data.ToArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void TrainerFitsTheModelAndItsCheckpointCarriesTheDottedNames()
    {
        var model = new ResidualMlp(seed: 1);
        var train = new DataLoader(Blobs.Make(96, ResidualMlp.Inputs, ResidualMlp.Classes, seed: 1), 16, shuffle: true, seed: 2);
        using var trainer = new Trainer(new TrainerOptions { MaxEpochs = 3, EnableProgressBar = false });
        FitResult result = trainer.Fit(model, train);
        Assert.Equal(18L, result.GlobalStep);
        Assert.True(result.Metrics["train_loss_epoch"] < 1.0, result.Metrics.ToString());

        string path = _directory["residual.safetensors"];
        trainer.SaveCheckpoint(path, weightsOnly: true);
        SafeTensorsFile file = SafeTensors.Load(path);
        Assert.Equal(s_expectedNames.OrderBy(n => n, StringComparer.Ordinal), file.Keys.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(new[] { 10, 16 }, file["blocks.1.down.weight"].Shape);

        // The checkpoint loads back into a fresh model by name.
        var restored = new ResidualMlp(seed: 99);
        restored.Parameters.LoadSafeTensors(path);
        Assert.Equal(model.Parameters.Buffer.ToArray(), restored.Parameters.Buffer.ToArray());
    }
}
