using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchSharpWorker;

/// <summary>
/// compare.py's convolution cases, as its PyTorch worker builds them (torch_cnn_call): LeNet-5 on
/// 28x28 (conv 6@5x5, ReLU, max-pool 2, conv 16@5x5, ReLU, max-pool 2, 256-120-84-10 with ReLUs)
/// and the residual stack (two blocks x + conv(relu(conv(x))) of 16@3x3 at 32x32, ReLU, global
/// average pooling, 16-10); one Adam(1e-3) step on cross-entropy over fixed random inputs.
/// </summary>
internal static class Cnn
{
    /// <summary>One train step of the named network (<c>lenet5</c> or <c>residual16</c>) at this batch size.</summary>
    /// <exception cref="FormatException">The name is neither.</exception>
    public static Action Call(string name, int batch)
    {
        torch.manual_seed(1);
        nn.Module<Tensor, Tensor> model;
        Tensor x;
        switch (name)
        {
            case "lenet5":
                model = nn.Sequential(
                    nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10));
                x = torch.rand(batch, 1, 28, 28) * 2 - 1;
                break;
            case "residual16":
                model = new Residual();
                x = torch.rand(batch, 16, 32, 32) * 2 - 1;
                break;
            default:
                throw new FormatException($"unknown convolution network '{name}' (lenet5 or residual16)");
        }

        Tensor y = torch.randint(0, 10, new long[] { batch });
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

    /// <summary>Two residual blocks of 16@3x3 convolutions (padding 1) at 32x32, then ReLU, global average pooling and a 16-10 head.</summary>
    private sealed class Residual : nn.Module<Tensor, Tensor>
    {
        private readonly ModuleList<Conv2d> convs;
        private readonly Linear head;

        public Residual() : base(nameof(Residual))
        {
            convs = nn.ModuleList(nn.Conv2d(16, 16, 3, padding: 1), nn.Conv2d(16, 16, 3, padding: 1), nn.Conv2d(16, 16, 3, padding: 1), nn.Conv2d(16, 16, 3, padding: 1));
            head = nn.Linear(16, 10);
            RegisterComponents();
        }

        /// <inheritdoc/>
        public override Tensor forward(Tensor x)
        {
            x = x + convs[1].call(nn.functional.relu(convs[0].call(x)));
            x = x + convs[3].call(nn.functional.relu(convs[2].call(x)));
            return head.call(torch.flatten(nn.functional.adaptive_avg_pool2d(nn.functional.relu(x), 1), 1));
        }
    }
}
