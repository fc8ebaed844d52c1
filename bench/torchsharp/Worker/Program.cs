// bench/compare.py's TorchSharp worker: `TorchSharpWorker THREADS SAMPLES`, then one request per line
// on stdin, answered with the median seconds per call (or a line starting with `error`):
//   mlp SIZES BATCH train|predict          SIZES like 784,128,10
//   gpt VOCAB WIDTH HEADS LAYERS CONTEXT BATCH DROPOUT
//   cnn lenet5|residual16 BATCH            compare.py's convolution networks (their architectures are in Cnn.cs)
//   gemm N                                  the product of two N x N float matrices into a preallocated output
//   version                                 answers LibTorch's version instead of a time
// compare.py sends the models' shapes, so its model list stays the one place they are defined.

using System;
using System.Globalization;
using System.Linq;
using TorchSharp;
using TorchSharpWorker;
using static TorchSharp.torch;

int threads = int.Parse(args[0], CultureInfo.InvariantCulture);
int samples = int.Parse(args[1], CultureInfo.InvariantCulture);
torch.set_num_threads(threads);
torch.set_num_interop_threads(1);

string? line;
while ((line = Console.ReadLine()) is not null)
{
    string[] w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (w.Length == 0)
        continue;
    int Int(int i) => int.Parse(w[i], CultureInfo.InvariantCulture);
    try
    {
        if (w is ["version"])
        {
            Console.WriteLine(torch.__version__);
            continue;
        }

        Action call = w switch
        {
            ["mlp", _, _, "train" or "predict"] => Mlp.Call(w[1].Split(',').Select(int.Parse).ToArray(), Int(2), w[3] == "train"),
            ["gpt", _, _, _, _, _, _, _] => Gpt.Call(Int(1), Int(2), Int(3), Int(4), Int(5), Int(6), double.Parse(w[7], CultureInfo.InvariantCulture)),
            ["cnn", _, _] => Cnn.Call(w[1], Int(2)),
            ["gemm", _] => Gemm(Int(1)),
            _ => throw new FormatException($"unknown request '{line}'"),
        };
        Console.WriteLine(Timing.MedianSeconds(call, samples).ToString("R", CultureInfo.InvariantCulture));
    }
    catch (Exception e)
    {
        // Any failure (a bad request, LibTorch refusing a shape) is an answer: compare.py reports the case as missing.
        Console.WriteLine($"error {e.Message.ReplaceLineEndings(" ")}");
    }
}

return 0;

static Action Gemm(int n)
{
    torch.manual_seed(42);
    Tensor a = torch.rand(n, n) * 2 - 1, b = torch.rand(n, n) * 2 - 1, c = torch.empty(n, n);
    // c = 0 c + a b in place: the product into a preallocated output, as numpy's matmul(out=) on the PyTorch side.
    return () => c.addmm_(a, b, beta: 0, alpha: 1);
}
