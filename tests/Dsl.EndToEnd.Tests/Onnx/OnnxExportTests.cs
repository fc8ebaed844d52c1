using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Dsl.EndToEnd.Tests.Attention;
using Dsl.EndToEnd.Tests.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;
using Xunit.Abstractions;

namespace Dsl.EndToEnd.Tests.Onnx;

/// <summary>
/// Every test model's <c>ExportOnnx</c> run by ONNX Runtime 1.32.0 on a random batch, its output held
/// to the compiled CPU program's <c>Predict</c> to 1e-5 (relative to max(1, |Predict's|)): the MLPs,
/// LayerNorm/GELU blocks, softmax attention written by hand and as [MultiHeadAttention], dropout
/// (evaluation's identity), TinyGpt and the Gpt sample's model, and the convolutional networks
/// (TinyCnn, GroupedCnn and the Cnn sample's model), and BatchNorm in evaluation (TinyBatchNorm, the Cnn sample's).
/// </summary>
public sealed class OnnxExportTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-5;
    private const int BatchSize = 3;
    private readonly string _folder = Directory.CreateTempSubdirectory("dsl-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Models => new()
    {
        "QuickStart", "Digits", "Regressor", "Attentive", "ResidualMlp", "Unrolled", "Shaper", "Dropper", "Stacked",
        "Tagger", "TensorZoo", "BagLm", "HandAttention", "TinyAttention", "AttentionDropper", "TinyGpt", "Gpt", "OnnxOps",
        "Reducer", "Broadcaster",
        "TinyCnn", "GroupedCnn", "Cnn", // issue 19, conv branch: convolution and pooling
        "TinyBatchNorm", // issue 19, onnxconv branch: BatchNorm2d and BatchNorm1d ([C, L] and [C]) in evaluation
        "BatchNormOptions", // Eps, Affine = false, and TrackRunningStats = false (the batch's statistics at run time)
        "UnevenPool", // AdaptiveAvgPool2d with PyTorch's uneven windows: Slice, ReduceMean, Concat
        "SequencePool", "UnevenMaxPool", // issue 19: 1-D pooling, AdaptiveMaxPool2d/1d (uneven windows: Slice, ReduceMax, Concat)
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void OnnxRuntimeMatchesPredict(string name)
    {
        (CompiledProgram program, Action<string> export, int tokenBound) = Compile(name);
        using (program)
        {
            string path = Path.Combine(_folder, name + ".onnx");
            export(path);
            double difference = OnnxRun.MaxDifference(program, path, BatchSize, tokenBound, seed: 11);
            output.WriteLine($"{name}: ONNX Runtime vs Predict, largest relative difference {difference:E2} ({new FileInfo(path).Length} bytes)");
            Assert.True(difference <= Tolerance, $"{name}: ONNX Runtime differs from Predict by {difference:E2}");
        }
    }

    /// <summary>
    /// A [Forward] that returns a tuple exports one graph output per element, named and ordered as
    /// the typed Predict's spans, with the dynamic batch axis; each holds to its span.
    /// </summary>
    [Fact]
    public void EachOutputOfATupleForwardMatchesItsPredictSpan()
    {
        var model = new TwoHeads(19);
        Perturb(model.Parameters);
        using TwoHeads.Program program = model.Compile(Device.Cpu, BatchSize);
        string path = Path.Combine(_folder, "two-heads.onnx");
        model.ExportOnnx(path);
        var random = new Random(23);
        float[] x = Enumerable.Range(0, BatchSize * TwoHeads.Inputs).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] logits = new float[BatchSize * TwoHeads.Classes], score = new float[BatchSize];
        program.Predict(x, logits, score);

        using var session = new InferenceSession(path);
        Assert.Equal(new[] { "logits", "score" }, session.OutputNames.ToArray());
        Assert.Equal(new[] { -1, TwoHeads.Classes }, session.OutputMetadata["logits"].Dimensions);
        Assert.Equal(new[] { -1, 1 }, session.OutputMetadata["score"].Dimensions);
        Assert.Equal("batch", session.OutputMetadata["score"].SymbolicDimensions[0]);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results =
            session.Run(new[] { NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(x, new[] { BatchSize, TwoHeads.Inputs })) });
        double logitsDifference = OnnxRun.Difference(logits, results.Single(r => r.Name == "logits").AsEnumerable<float>().ToArray());
        double scoreDifference = OnnxRun.Difference(score, results.Single(r => r.Name == "score").AsEnumerable<float>().ToArray());
        output.WriteLine($"TwoHeads: ONNX Runtime vs Predict, largest relative difference logits {logitsDifference:E2}, score {scoreDifference:E2}");
        Assert.True(logitsDifference <= Tolerance, $"logits differ from Predict's by {logitsDifference:E2}");
        Assert.True(scoreDifference <= Tolerance, $"score differs from Predict's by {scoreDifference:E2}");
    }

    /// <summary>Outputs that share a value (one is the other's input, one is returned twice) are each their own graph output, each equal to its span.</summary>
    [Fact]
    public void OutputsSharingAValueAreEachTheirOwnGraphOutput()
    {
        var model = new SharedOutputs(24);
        Perturb(model.Parameters);
        using SharedOutputs.Program program = model.Compile(Device.Cpu, BatchSize);
        string path = Path.Combine(_folder, "shared.onnx");
        model.ExportOnnx(path);
        var random = new Random(25);
        float[] x = Enumerable.Range(0, BatchSize * SharedOutputs.Inputs).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] hidden = new float[BatchSize * SharedOutputs.Width], logits = new float[BatchSize * SharedOutputs.Classes], again = new float[BatchSize * SharedOutputs.Width];
        program.Predict(x, hidden, logits, again);

        using var session = new InferenceSession(path);
        Assert.Equal(new[] { "hidden", "logits", "again" }, session.OutputNames.ToArray());
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results =
            session.Run(new[] { NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(x, new[] { BatchSize, SharedOutputs.Inputs })) });
        foreach ((string name, float[] expected) in new[] { ("hidden", hidden), ("logits", logits), ("again", again) })
        {
            double difference = OnnxRun.Difference(expected, results.Single(r => r.Name == name).AsEnumerable<float>().ToArray());
            output.WriteLine($"SharedOutputs.{name}: largest relative difference {difference:E2}");
            Assert.True(difference <= Tolerance, $"{name} differs from Predict's by {difference:E2}");
        }
    }

    /// <summary>The export reads the parameters the model holds now: after training steps, ONNX Runtime still agrees with Predict.</summary>
    [Fact]
    public void ExportAfterTrainingCarriesTheTrainedParameters()
    {
        var model = new QuickStart.Classifier(seed: 4);
        using QuickStart.Classifier.Program program = model.Compile(Device.Cpu, maxBatch: 8);
        var random = new Random(2);
        float[] x = Enumerable.Range(0, 8 * 10).Select(_ => (float)random.NextDouble()).ToArray();
        int[] labels = Enumerable.Range(0, 8).Select(i => i % 2).ToArray();
        string before = Path.Combine(_folder, "before.onnx"), after = Path.Combine(_folder, "after.onnx");
        model.ExportOnnx(before);
        for (int step = 0; step < 5; step++)
            program.TrainStep(x, labels);
        model.ExportOnnx(after);

        Assert.NotEqual(File.ReadAllBytes(before), File.ReadAllBytes(after));
        Assert.True(OnnxRun.MaxDifference(program, after, BatchSize, tokenBound: 0, seed: 5) <= Tolerance);
    }

    [Fact]
    public void ExportToAStreamWritesTheFilesBytesAndLeavesTheStreamOpen()
    {
        var model = new TinyGpt(seed: 2);
        string path = Path.Combine(_folder, "tiny.onnx");
        model.ExportOnnx(path);
        using var stream = new MemoryStream();
        stream.WriteByte(42); // written from the stream's position on
        model.ExportOnnx(stream);
        Assert.Equal(new byte[] { 42 }.Concat(File.ReadAllBytes(path)), stream.ToArray());
        Assert.True(stream.CanWrite);
    }

    [Fact]
    public void InitializersAreTheParametersUnderTheirStateDictNames()
    {
        var model = new TinyGpt(seed: 1);
        string path = Path.Combine(_folder, "tiny.onnx");
        model.ExportOnnx(path);
        using var session = new InferenceSession(path);
        // Graph inputs are the [Forward] parameters only (initializers are not inputs at IR 8), with a dynamic batch axis.
        Assert.Equal(new[] { "ids" }, session.InputMetadata.Keys.ToArray());
        Assert.Equal(new[] { -1, TinyGpt.Context }, session.InputMetadata["ids"].Dimensions);
        Assert.Equal("batch", session.InputMetadata["ids"].SymbolicDimensions[0]);
        Assert.Equal(new[] { -1, TinyGpt.Context, TinyGpt.Vocab }, session.OutputMetadata["output"].Dimensions);
        Assert.Equal(model.Parameters.Parameters.Select(p => p.Name).Order(), OnnxFile.InitializerNames(File.ReadAllBytes(path)).Order());
    }

    [Fact]
    public void AnUnwritablePathIsAnIOExceptionNamingItAndLeavesNothing()
    {
        string blocker = Path.Combine(_folder, "file");
        File.WriteAllText(blocker, "not a folder");
        string path = Path.Combine(blocker, "model.onnx");
        var exception = Assert.Throws<IOException>(() => new QuickStart.Classifier(1).ExportOnnx(path));
        Assert.Contains(path, exception.Message);
        Assert.Equal(new[] { blocker }, Directory.GetFileSystemEntries(_folder));
    }

    /// <summary>OnnxOps exports the ops it exists for, so its match with Predict above covers them.</summary>
    [Fact]
    public void OnnxOpsExportsTheOpsItCovers()
    {
        string path = Path.Combine(_folder, "ops.onnx");
        new OnnxOps(1).ExportOnnx(path);
        string[] types = OnnxFile.OpTypes(File.ReadAllBytes(path)).Distinct().ToArray();
        foreach (string expected in new[] { "LogSoftmax", "Neg", "ReduceSum", "Where", "MatMul", "Transpose", "Reshape" })
            Assert.True(types.Contains(expected), $"no {expected} among {string.Join(", ", types)}");
    }

    /// <summary>Reducer's Max, Min, LogSumExp, ArgMax and Gather along an axis export through ArgMax and GatherElements, so its match with Predict above covers their rules.</summary>
    [Fact]
    public void ReducerExportsArgMaxAndGatherElements()
    {
        string path = Path.Combine(_folder, "reducer.onnx");
        new Reducer(1).ExportOnnx(path);
        string[] types = OnnxFile.OpTypes(File.ReadAllBytes(path)).Distinct().ToArray();
        foreach (string expected in new[] { "ArgMax", "Equal", "GatherElements", "Cast", "ReduceSum", "Softmax", "LogSoftmax" })
            Assert.True(types.Contains(expected), $"no {expected} among {string.Join(", ", types)}");
    }

    /// <summary>
    /// The convolutional models export each layer as its own operator, as a serving user expects:
    /// Conv, MaxPool, AveragePool, GlobalAveragePool, Flatten and BatchNormalization, each as many
    /// times as the model calls such a layer, and none of the lowered ops (im2col's one-hot grouped
    /// Conv built from EyeLike, MaxPool's ArgMax mask); their match with Predict above covers the operators.
    /// </summary>
    [Theory]
    [InlineData("TinyCnn", "Conv:3,MaxPool:1,AveragePool:1,Flatten:3")]
    [InlineData("GroupedCnn", "Conv:3,MaxPool:1,AveragePool:2,GlobalAveragePool:1,Flatten:4")]
    [InlineData("Cnn", "Conv:2,BatchNormalization:2,MaxPool:1,Flatten:1")]
    [InlineData("TinyBatchNorm", "Conv:1,BatchNormalization:3,Flatten:2")]
    [InlineData("UnevenPool", "ReduceMean:18,Concat:4,Flatten:2")]
    [InlineData("SequencePool", "Conv:1,MaxPool:2,AveragePool:1,ReduceMax:4,ReduceMean:4,Concat:2,GlobalAveragePool:1,Flatten:4")]
    [InlineData("UnevenMaxPool", "Conv:1,ReduceMax:18,Concat:4,GlobalMaxPool:1,MaxPool:1,Flatten:4")]
    public void ConvolutionalLayersExportAsTheirOwnOperators(string name, string expected)
    {
        (CompiledProgram program, Action<string> export, _) = Compile(name);
        program.Dispose();
        string path = Path.Combine(_folder, name + ".onnx");
        export(path);
        List<string> types = OnnxFile.OpTypes(File.ReadAllBytes(path));
        output.WriteLine(name + ": " + string.Join(", ", types));
        foreach (string[] pair in expected.Split(',').Select(p => p.Split(':')))
            Assert.True(types.Count(t => t == pair[0]) == int.Parse(pair[1]), $"{name}: {types.Count(t => t == pair[0])} {pair[0]} nodes, expected {pair[1]}, among {string.Join(", ", types)}");
        foreach (string lowered in new[] { "EyeLike", "ArgMax", "ReduceSum" })
            Assert.DoesNotContain(lowered, types);
    }

    /// <summary>
    /// A Conv node takes the layer's weight and bias initializers by their state_dict names, and a
    /// BatchNormalization node its weight, bias and running statistics, with the layer's ε.
    /// </summary>
    [Fact]
    public void LayerOperatorsReadTheParametersByTheirStateDictNames()
    {
        string path = Path.Combine(_folder, "tiny-bn.onnx");
        new TinyBatchNorm(1).ExportOnnx(path);
        List<(string OpType, List<string> Inputs, string Output)> nodes = OnnxFile.Nodes(File.ReadAllBytes(path));
        Assert.Contains(nodes, n => n.OpType == "Conv" && n.Inputs.SequenceEqual(new[] { "x", "conv.weight" }));
        Assert.Contains(nodes, n => n.OpType == "BatchNormalization"
            && n.Inputs.Skip(1).SequenceEqual(new[] { "norm.weight", "norm.bias", "norm.running_mean", "norm.running_var" }));
        Assert.Contains(nodes, n => n.OpType == "BatchNormalization"
            && n.Inputs.Skip(1).SequenceEqual(new[] { "hidden_norm.weight", "hidden_norm.bias", "hidden_norm.running_mean", "hidden_norm.running_var" }));
    }

    /// <summary>
    /// BatchNorm's arguments in the export: a layer with Eps and no affine parameters is a
    /// BatchNormalization with that epsilon, a scale of ones and a bias of zeros; one without running
    /// statistics normalises with the batch's (ReduceSum over the batch, divided by its size read at
    /// run time), as Predict does, which the match above holds to 1e-5.
    /// </summary>
    [Fact]
    public void BatchNormArgumentsExportAsPyTorchsEvaluation()
    {
        string path = Path.Combine(_folder, "options.onnx");
        new BatchNormOptions(1).ExportOnnx(path);
        List<(string OpType, List<string> Inputs, string Output)> nodes = OnnxFile.Nodes(File.ReadAllBytes(path));
        var norm = Assert.Single(nodes, n => n.OpType == "BatchNormalization");
        Assert.Equal(new[] { "rows.running_mean", "rows.running_var" }, norm.Inputs.Skip(3));
        string[] ones = nodes.Where(n => n.OpType == "ConstantOfShape").Select(n => n.Output).ToArray();
        Assert.Contains(norm.Inputs[1], ones);
        Assert.Contains(norm.Inputs[2], ones);
        Assert.Contains(nodes, n => n.OpType == "Shape");
        Assert.Contains(nodes, n => n.OpType == "ReduceSum");
        Assert.Equal(new[] { BatchNormOptions.Eps }, OnnxFile.FloatAttributes(File.ReadAllBytes(path), "BatchNormalization", "epsilon").Select(e => Math.Round(e, 9)));
    }

    [Fact]
    public void AnOpWithNoOnnxEquivalentIsANotSupportedExceptionNamingItAndWritesNothing()
    {
        string path = Path.Combine(_folder, "loss.onnx");
        var exception = Assert.Throws<NotSupportedException>(() => new LossForward(1).ExportOnnx(path));
        Assert.Contains("LossForward.Forward cannot be exported to ONNX: it uses CrossEntropy (OnnxModels.cs:", exception.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    /// <summary>The onnx package's checker accepts the exports (full check, with shape inference); skipped, with the reason, where python3-onnx is missing.</summary>
    [PythonOnnxFact]
    public void OnnxCheckerAcceptsTheExports()
    {
        string[] paths = new[] { "QuickStart", "Stacked", "TensorZoo", "HandAttention", "TinyGpt", "Reducer", "Broadcaster", "GroupedCnn", "TinyBatchNorm" }.Select(name =>
        {
            (CompiledProgram program, Action<string> export, _) = Compile(name);
            program.Dispose();
            string path = Path.Combine(_folder, name + ".onnx");
            export(path);
            return path;
        }).Append(Path.Combine(_folder, "TwoHeads.onnx")).ToArray();
        new TwoHeads(1).ExportOnnx(paths[^1]); // two graph outputs
        (int exitCode, string text) = PythonOnnx.Run(
            "import onnx, sys\nfor p in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(p), full_check=True)\n    print('ok', p)", paths);
        output.WriteLine(text);
        Assert.True(exitCode == 0, text);
    }

    private static (CompiledProgram Program, Action<string> Export, int TokenBound) Compile(string name)
    {
        const int maxBatch = BatchSize;
        switch (name)
        {
            case "QuickStart": { var m = new QuickStart.Classifier(1); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "Digits": { var m = new Digits.DigitsClassifier(1); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "Regressor": { var m = new Regressor(2); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "Attentive": { var m = new Attentive(3); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "ResidualMlp": { var m = new ResidualMlp(4); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "Unrolled": { var m = new Unrolled(6); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "Shaper": { var m = new Shaper(7); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "Dropper": { var m = new Dropper(8); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "Stacked": { var m = new Stacked(9); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "Tagger": { var m = new Tagger(10); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "TensorZoo": { var m = new TensorZoo(11); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "BagLm": { var m = new BagLm(12); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, BagLm.Vocab); }
            case "HandAttention": { var m = new HandAttention(13); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, HandAttention.Vocab); }
            case "TinyAttention": { var m = new TinyAttention(14); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, TinyAttention.Vocab); }
            case "AttentionDropper": { var m = new AttentionDropper(15); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, AttentionDropper.Vocab); }
            case "TinyGpt": { var m = TinyGptTests.Model(16); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, TinyGpt.Vocab); }
            case "Gpt": { var m = new Gpt.Gpt(17); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, Gpt.Gpt.Vocab); }
            case "OnnxOps": { var m = new OnnxOps(18); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "Reducer": { var m = new Reducer(20); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "Broadcaster": { var m = new Broadcaster(21); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "TinyCnn": { var m = new TinyCnn(22); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "GroupedCnn": { var m = new GroupedCnn(23); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "TinyBatchNorm": { var m = new TinyBatchNorm(25); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "BatchNormOptions": { var m = new BatchNormOptions(26); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "UnevenPool": { var m = new UnevenPool(27); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "SequencePool": { var m = new SequencePool(28); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "UnevenMaxPool": { var m = new UnevenMaxPool(29); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            case "Cnn": { var m = new Cnn.CnnClassifier(24); Perturb(m.Parameters); return (m.Compile(Device.Cpu, maxBatch), m.ExportOnnx, 0); }
            default: throw new ArgumentOutOfRangeException(nameof(name), name, "not a test model");
        }
    }

    /// <summary>Moves every parameter off its initial value (zero biases, unit norm weights), so the export is seen to carry the values.</summary>
    private static void Perturb(ParameterStore parameters)
    {
        var random = new Random(parameters.Count);
        float[] values = parameters.Buffer;
        for (int i = 0; i < values.Length; i++)
            values[i] += (float)(random.NextDouble() - 0.5) * 0.2f;
    }
}
