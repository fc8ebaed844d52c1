using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Dsl.EndToEnd.Tests.Onnx;

/// <summary>
/// One exported model held to its compiled program: a random batch of the [Forward] inputs goes
/// through <see cref="CompiledProgram.Predict(global::Dsl.Batch, Span{float})"/> and through the .onnx file in
/// ONNX Runtime, and the outputs are compared.
/// </summary>
internal static class OnnxRun
{
    /// <summary>
    /// The largest difference between ONNX Runtime's output and Predict's, relative to
    /// max(1, |Predict's|), over a batch of <paramref name="batchSize"/> random examples (floats in
    /// [−1, 1), ids below <paramref name="tokenBound"/>).
    /// </summary>
    public static double MaxDifference(CompiledProgram program, string onnxPath, int batchSize, int tokenBound, int seed)
    {
        StepSignature signature = program.PredictSignature;
        var batch = new global::Dsl.Batch(signature.Inputs.Select(i => new ColumnInfo(i.Name, i.Type, i.ExampleShape)).ToArray(), batchSize);
        var random = new Random(seed);
        var feeds = new List<NamedOnnxValue>();
        for (int c = 0; c < signature.Inputs.Count; c++)
        {
            StepInput input = signature.Inputs[c];
            int[] shape = new[] { batchSize }.Concat(input.ExampleShape).ToArray();
            if (input.Type == ColumnType.Float32)
            {
                Span<float> values = batch.FloatBuffer(c);
                for (int i = 0; i < values.Length; i++)
                    values[i] = (float)(random.NextDouble() * 2 - 1);
                feeds.Add(NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<float>(values.ToArray(), shape)));
            }
            else
            {
                Span<int> ids = batch.IntBuffer(c);
                int bound = input.Classes > 0 ? input.Classes : tokenBound;
                for (int i = 0; i < ids.Length; i++)
                    ids[i] = random.Next(bound);
                feeds.Add(NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<int>(ids.ToArray(), shape)));
            }
        }
        batch.SetExamples(Enumerable.Range(0, batchSize).ToArray());
        var expected = new float[batchSize * signature.OutputSize];
        program.Predict(batch, expected);

        using var session = new InferenceSession(onnxPath);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(feeds);
        return Difference(expected, results.Single().AsEnumerable<float>().ToArray());
    }

    /// <summary>The largest difference of <paramref name="actual"/> (ONNX Runtime's) from <paramref name="expected"/> (Predict's), relative to max(1, |expected|).</summary>
    public static double Difference(ReadOnlySpan<float> expected, float[] actual)
    {
        if (actual.Length != expected.Length)
            throw new InvalidOperationException($"ONNX Runtime gave {actual.Length} values, Predict {expected.Length}.");
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / Math.Max(1, Math.Abs(expected[i])));
        return worst;
    }
}
