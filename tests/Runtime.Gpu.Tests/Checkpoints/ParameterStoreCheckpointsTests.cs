using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Dsl.Tests.Checkpoints;

public sealed class ParameterStoreCheckpointsTests : IDisposable
{
    private static readonly ParameterSpec[] Mlp =
    [
        new("hidden.weight", [16, 10], 10),
        new("hidden.bias", [16], 10),
        new("output.weight", [2, 16], 16),
        new("output.bias", [2], 16),
    ];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dsl-ckpt-" + Guid.NewGuid().ToString("N"));

    public ParameterStoreCheckpointsTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ASavedModelLoadsBackBitExactly()
    {
        var saved = new ParameterStore(Mlp, seed: 1);
        string path = Path.Combine(_directory, "model.safetensors");
        saved.SaveSafeTensors(path, new Dictionary<string, string> { ["epoch"] = "3" });

        var loaded = new ParameterStore(Mlp, seed: 2);
        Assert.NotEqual(saved.Buffer, loaded.Buffer);
        loaded.LoadSafeTensors(path);
        Assert.Equal(saved.Buffer.Select(BitConverter.SingleToInt32Bits), loaded.Buffer.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void ACountBufferIsSavedAsInt64AndLoadsFromInt64OrFloatButOnlyItTakesIntegers()
    {
        ParameterSpec[] specs =
        [
            new("norm.weight", [2], 1),
            new("norm.running_var", [2], 1) { Init = ParameterInit.Ones, Role = ParameterRole.Buffer },
            new("norm.num_batches_tracked", [], 1) { Init = ParameterInit.Zeros, Role = ParameterRole.CountBuffer },
        ];
        var store = new ParameterStore(specs, seed: 1);
        store["norm.num_batches_tracked"][0] = 7;
        string path = Path.Combine(_directory, "norm.safetensors");
        store.SaveSafeTensors(path);
        SafeTensorsFile file = SafeTensors.Load(path);
        Assert.Equal(SafeTensorsDType.I64, file["norm.num_batches_tracked"].DType);
        Assert.Equal([7L], file["norm.num_batches_tracked"].ToInt64s());
        Assert.Equal(SafeTensorsDType.F32, file["norm.running_var"].DType);

        var loaded = new ParameterStore(specs, seed: 2);
        loaded.LoadSafeTensors(path);
        Assert.Equal(7f, loaded["norm.num_batches_tracked"][0]);

        // A float counter (a file that stored it so) loads too; an integer running_var does not.
        string floats = Path.Combine(_directory, "floats.safetensors");
        SafeTensors.Save(floats, [file["norm.weight"], file["norm.running_var"], SafeTensor.FromFloats("norm.num_batches_tracked", [], [3f])]);
        loaded.LoadSafeTensors(floats);
        Assert.Equal(3f, loaded["norm.num_batches_tracked"][0]);
        string integers = Path.Combine(_directory, "integers.safetensors");
        SafeTensors.Save(integers, [file["norm.weight"], SafeTensor.FromInt64s("norm.running_var", [2], [1, 1]), file["norm.num_batches_tracked"]]);
        var error = Assert.Throws<InvalidDataException>(() => loaded.LoadSafeTensors(integers));
        Assert.Contains("'norm.running_var' has dtype I64", error.Message);
    }

    [Fact]
    public void TheFileHoldsOneF32TensorPerParameterWithStateDictNamesAndShapes()
    {
        var store = new ParameterStore(Mlp, seed: 5);
        string path = Path.Combine(_directory, "model.safetensors");
        store.SaveSafeTensors(path, new Dictionary<string, string> { ["epoch"] = "3" });

        SafeTensorsFile file = SafeTensors.Load(path);
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt", ["epoch"] = "3" }, file.Metadata);
        Assert.Equal(Mlp.Select(p => p.Name), file.Keys);
        foreach (ParameterSpec spec in Mlp)
        {
            Assert.Equal(SafeTensorsDType.F32, file[spec.Name].DType);
            Assert.Equal(spec.Shape, file[spec.Name].Shape);
            Assert.Equal(store[spec.Name].ToArray(), file[spec.Name].ToFloats());
        }
    }

    [Fact]
    public void ToSafeTensorsCopiesAndPrefixesForComposedFiles()
    {
        var store = new ParameterStore(Mlp, seed: 3);
        IReadOnlyList<SafeTensor> tensors = store.ToSafeTensors("model.");
        Assert.Equal(Mlp.Select(p => "model." + p.Name), tensors.Select(t => t.Name));
        float before = store.Buffer[0];
        store.Buffer[0] = 123f;
        Assert.Equal(before, tensors[0].ToFloats()[0]);
        store.Buffer[0] = before;

        string path = Path.Combine(_directory, "train_state.safetensors");
        SafeTensors.Save(path, tensors.Append(SafeTensor.FromInt64s("trainer.step", [], [120])));
        var restored = new ParameterStore(Mlp, seed: 4);
        restored.LoadFrom(SafeTensors.Load(path), "model.");
        Assert.Equal(store.Buffer, restored.Buffer);
    }

    [Fact]
    public void F64AndBf16CheckpointsAreConvertedToFloat()
    {
        var bias = new byte[16 * 8];
        for (int i = 0; i < 16; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(bias.AsSpan(i * 8), i * 0.25);
        var outputBias = new byte[] { 0x80, 0x3F, 0x40, 0xC0 }; // bf16 1.0, -3.0
        var reference = new ParameterStore(Mlp, seed: 8);
        string path = Path.Combine(_directory, "mixed.safetensors");
        SafeTensors.Save(path,
        [
            SafeTensor.FromFloats("hidden.weight", [16, 10], reference["hidden.weight"]),
            new SafeTensor("hidden.bias", SafeTensorsDType.F64, [16], bias),
            SafeTensor.FromFloats("output.weight", [2, 16], reference["output.weight"]),
            new SafeTensor("output.bias", SafeTensorsDType.BF16, [2], outputBias),
        ]);

        var store = new ParameterStore(Mlp, seed: 9);
        store.LoadSafeTensors(path);
        Assert.Equal(reference["hidden.weight"].ToArray(), store["hidden.weight"].ToArray());
        Assert.Equal(Enumerable.Range(0, 16).Select(i => i * 0.25f), store["hidden.bias"].ToArray());
        Assert.Equal([1f, -3f], store["output.bias"].ToArray());
    }

    [Fact]
    public void ADifferentShapeIsRejectedAndNothingIsLoaded()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        ParameterSpec[] narrower = [new("hidden.weight", [16, 8], 8), .. Mlp[1..]];
        new ParameterStore(narrower, seed: 1).SaveSafeTensors(path);

        var store = new ParameterStore(Mlp, seed: 2);
        float[] before = (float[])store.Buffer.Clone();
        var thrown = Assert.Throws<InvalidDataException>(() => store.LoadSafeTensors(path));
        Assert.Equal($"{path}: tensor 'hidden.weight' has shape [16, 8]; the model expects [16, 10]. Nothing was loaded.", thrown.Message);
        Assert.Equal(before, store.Buffer);
    }

    [Fact]
    public void DifferentNamesAreRejectedListingMissingAndUnexpectedTensors()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        ParameterSpec[] renamed = [new("fc1.weight", [16, 10], 10), new("fc1.bias", [16], 10), .. Mlp[2..]];
        new ParameterStore(renamed, seed: 1).SaveSafeTensors(path);

        var store = new ParameterStore(Mlp, seed: 2);
        float[] before = (float[])store.Buffer.Clone();
        var thrown = Assert.Throws<InvalidDataException>(() => store.LoadSafeTensors(path));
        Assert.Equal(
            $"{path}: missing 2 tensors ('hidden.weight', 'hidden.bias') that the model needs; 2 tensors ('fc1.weight', 'fc1.bias') that the model does not have. Nothing was loaded.",
            thrown.Message);
        Assert.Equal(before, store.Buffer);
    }

    [Fact]
    public void AnExtraTensorIsRejectedAndNothingIsLoaded()
    {
        var source = new ParameterStore(Mlp, seed: 1);
        string path = Path.Combine(_directory, "model.safetensors");
        SafeTensors.Save(path, source.ToSafeTensors().Append(SafeTensor.FromFloats("dropout.mask", [3], [1, 0, 1])));

        var store = new ParameterStore(Mlp, seed: 2);
        float[] before = (float[])store.Buffer.Clone();
        var thrown = Assert.Throws<InvalidDataException>(() => store.LoadSafeTensors(path));
        Assert.Equal($"{path}: 1 tensor ('dropout.mask') that the model does not have. Nothing was loaded.", thrown.Message);
        Assert.Equal(before, store.Buffer);
    }

    [Fact]
    public void AnIntegerTensorForAParameterIsRejected()
    {
        var source = new ParameterStore(Mlp, seed: 1);
        string path = Path.Combine(_directory, "model.safetensors");
        SafeTensors.Save(path, source.ToSafeTensors().Where(t => t.Name != "output.bias").Append(SafeTensor.FromInt64s("output.bias", [2], [1, 2])));

        var store = new ParameterStore(Mlp, seed: 2);
        float[] before = (float[])store.Buffer.Clone();
        var thrown = Assert.Throws<InvalidDataException>(() => store.LoadSafeTensors(path));
        Assert.Equal($"{path}: tensor 'output.bias' has dtype I64; a parameter needs F32, F64, F16 or BF16. Nothing was loaded.", thrown.Message);
        Assert.Equal(before, store.Buffer);
    }

    [Fact]
    public void ATruncatedCheckpointIsRejectedNamingTheFile()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        new ParameterStore(Mlp, seed: 1).SaveSafeTensors(path);
        byte[] bytes = File.ReadAllBytes(path);
        string truncated = Path.Combine(_directory, "model.partial.safetensors");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);

        var store = new ParameterStore(Mlp, seed: 2);
        float[] before = (float[])store.Buffer.Clone();
        var thrown = Assert.Throws<InvalidDataException>(() => store.LoadSafeTensors(truncated));
        Assert.StartsWith($"{truncated}: ", thrown.Message);
        Assert.Contains("the file is truncated", thrown.Message);
        Assert.Equal(before, store.Buffer);
    }

    [Fact]
    public void IgnoredTensorsAreNeitherLoadedNorReportedAsUnexpected()
    {
        var source = new ParameterStore(Mlp, seed: 1);
        string path = Path.Combine(_directory, "train_state.safetensors");
        SafeTensors.Save(path, source.ToSafeTensors().Append(SafeTensor.FromFloats("optimizer/exp_avg/hidden.bias", [16], new float[16])));
        SafeTensorsFile file = SafeTensors.Load(path);

        var store = new ParameterStore(Mlp, seed: 2);
        Assert.Throws<InvalidDataException>(() => store.CheckCompatible(file));
        store.CheckCompatible(file, ignore: name => name.Contains('/'));
        store.LoadFrom(file, ignore: name => name.Contains('/'));
        Assert.Equal(source.Buffer, store.Buffer);
    }

    [Fact]
    public void CheckCompatibleChangesNothingAndReportsEveryProblem()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        ParameterSpec[] other = [new("hidden.weight", [16, 8], 8), new("hidden.bias", [16], 8), new("extra.bias", [2], 16)];
        new ParameterStore(other, seed: 1).SaveSafeTensors(path);

        var store = new ParameterStore(Mlp, seed: 2);
        float[] before = (float[])store.Buffer.Clone();
        var thrown = Assert.Throws<InvalidDataException>(() => store.CheckCompatible(SafeTensors.Load(path)));
        Assert.Equal(
            $"{path}: tensor 'hidden.weight' has shape [16, 8]; the model expects [16, 10]; missing 2 tensors ('output.weight', 'output.bias') that the model needs; 1 tensor ('extra.bias') that the model does not have. Nothing was loaded.",
            thrown.Message);
        Assert.Equal(before, store.Buffer);
    }
}
