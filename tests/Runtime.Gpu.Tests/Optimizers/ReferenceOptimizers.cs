using System;

namespace Dsl.Tests.Optimizers;

/// <summary>
/// Straight transcriptions, in double, of the pseudo-code in the torch.optim documentation
/// (SGD, Adam, AdamW; maximize = False, amsgrad = False) and of clip_grad_norm_.
/// </summary>
internal static class ReferenceOptimizers
{
    /// <summary>clip_grad_norm_: returns the total norm and scales g in place when clipping.</summary>
    public static double Clip(double[] g, double? maxNorm)
    {
        double norm = 0;
        foreach (double x in g)
            norm += x * x;
        norm = Math.Sqrt(norm);
        if (maxNorm is double max)
        {
            double coefficient = Math.Min(max / (norm + 1e-6), 1.0);
            for (int i = 0; i < g.Length; i++)
                g[i] *= coefficient;
        }

        return norm;
    }

    public sealed class Sgd(double lr, double momentum, double dampening, double weightDecay, bool nesterov)
    {
        private double[]? _b;
        private int _t;

        public void Step(double[] theta, double[] gradient)
        {
            _t++;
            for (int i = 0; i < theta.Length; i++)
            {
                double g = gradient[i];
                if (weightDecay != 0)
                    g += weightDecay * theta[i];
                if (momentum != 0)
                {
                    _b ??= new double[theta.Length];
                    _b[i] = _t > 1 ? momentum * _b[i] + (1 - dampening) * g : g;
                    g = nesterov ? g + momentum * _b[i] : _b[i];
                }

                theta[i] -= lr * g;
            }
        }
    }

    public sealed class Adam(double lr, double beta1, double beta2, double epsilon, double weightDecay, bool decoupled)
    {
        private double[]? _m, _v;
        private int _t;

        public void Step(double[] theta, double[] gradient)
        {
            _t++;
            _m ??= new double[theta.Length];
            _v ??= new double[theta.Length];
            for (int i = 0; i < theta.Length; i++)
            {
                double g = gradient[i];
                if (decoupled)
                    theta[i] -= lr * weightDecay * theta[i];
                else if (weightDecay != 0)
                    g += weightDecay * theta[i];
                _m[i] = beta1 * _m[i] + (1 - beta1) * g;
                _v[i] = beta2 * _v[i] + (1 - beta2) * g * g;
                double mHat = _m[i] / (1 - Math.Pow(beta1, _t));
                double vHat = _v[i] / (1 - Math.Pow(beta2, _t));
                theta[i] -= lr * mHat / (Math.Sqrt(vHat) + epsilon);
            }
        }
    }
}
