using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchSharpWorker;

/// <summary>compare.py's MLP cases: Linear layers with ReLU between them, cross-entropy and Adam(1e-3), or inference.</summary>
internal static class Mlp
{
    /// <summary>One train step (or one inference call when <paramref name="training"/> is false) of the MLP with these layer sizes.</summary>
    public static Action Call(int[] sizes, int batch, bool training)
    {
        torch.manual_seed(1);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < sizes.Length - 1; i++)
        {
            layers.Add(($"linear{i}", nn.Linear(sizes[i], sizes[i + 1])));
            if (i < sizes.Length - 2)
                layers.Add(($"relu{i}", nn.ReLU()));
        }

        var model = nn.Sequential(layers);
        Tensor x = torch.rand(batch, sizes[0]) * 2 - 1;
        if (!training)
        {
            model.eval();
            return () =>
            {
                // The disposal scope frees the output at once, as Python's reference counting does.
                using var scope = torch.NewDisposeScope();
                using var mode = torch.inference_mode();
                model.call(x);
            };
        }

        Tensor y = torch.randint(0, sizes[^1], new long[] { batch });
        var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        return () =>
        {
            using var scope = torch.NewDisposeScope();
            model.zero_grad(set_to_none: true);
            Tensor loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
        };
    }
}
