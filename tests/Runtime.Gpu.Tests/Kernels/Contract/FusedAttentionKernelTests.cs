using System;
using Dsl.Kernels;
using Dsl.Tests.Ilgpu;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// Fused multi-head attention and its gradient (issue 20, item 3) on every device: the CPU against its
/// definition in double (the weights' dropout at their positions in [batch, H, T, T]), the devices
/// against the CPU; causal and full, with and without dropout, T and dh off whole vectors, from and to
/// offsets into the buffers, over garbage the kernels must overwrite.
/// </summary>
public abstract class FusedAttentionKernelTests : KernelContractTests
{
    private const ulong Seed = 0xA77Eu;
    private const uint Site = 2, Step = 9;

    /// <summary>A batch, T, heads, dh, causal flag and dropout probability.</summary>
    public sealed record Case(int Batch, int Length, int Heads, int HeadWidth, bool Causal, float P)
    {
        public int Width => Heads * HeadWidth;

        public float Scale => 1f / MathF.Sqrt(HeadWidth);
    }

    private static readonly Case[] s_cases =
    [
        new(2, 5, 2, 4, true, 0f),
        new(2, 11, 2, 12, true, 0.25f),  // keys past one vector, dh a vector and a remainder
        new(1, 9, 3, 8, false, 0.3f),
        new(2, 16, 4, 8, true, 0.1f),    // TinyGpt's attention
    ];

    [KernelFact]
    public void ForwardIsTheDefinition()
    {
        foreach (Case s in s_cases)
        {
            float[] qkv = RandomFloats(1, 2 + (s.Batch * s.Length * 3 * s.Width));
            Verify(
                h =>
                {
                    DeviceBuffer y = h.Floats(RandomFloats(9, 1 + (s.Batch * s.Length * s.Width), 100f));
                    h.Kernels.Attention(s.Batch, s.Length, s.Heads, s.HeadWidth, s.Causal, s.Scale, Seed, Site, Step, s.P, h.Floats(qkv).Slice(2), y.Slice(1));
                    return h.Read(y)[1..];
                },
                () => Reference(s, qkv, 2, null),
                2e-5);
        }
    }

    [KernelFact]
    public void BackwardIsTheDefinition()
    {
        foreach (Case s in s_cases)
        {
            float[] qkv = RandomFloats(2, 1 + (s.Batch * s.Length * 3 * s.Width));
            float[] gradient = RandomFloats(3, 3 + (s.Batch * s.Length * s.Width));
            Verify(
                h =>
                {
                    DeviceBuffer r = h.Floats(RandomFloats(8, 2 + (s.Batch * s.Length * 3 * s.Width), 100f));
                    h.Kernels.AttentionBackward(s.Batch, s.Length, s.Heads, s.HeadWidth, s.Causal, s.Scale, Seed, Site, Step, s.P,
                        h.Floats(qkv).Slice(1), h.Floats(gradient).Slice(3), r.Slice(2));
                    return h.Read(r)[2..];
                },
                () => Reference(s, qkv, 1, (gradient, 3)),
                5e-5);
        }
    }

    /// <summary>
    /// The forward pass (no cotangent) or the gradient with respect to qkv of ⟨y, ȳ⟩, in double: per head,
    /// P = softmax(scale·q·kᵀ), dP = drop(ȳ·vᵀ), dS = P ⊙ (dP − Σ P⊙dP), q̄ = scale·dS·k, k̄ = scale·dSᵀ·q, v̄ = P̃ᵀ·ȳ.
    /// </summary>
    private static double[] Reference(Case s, float[] qkv, int offset, (float[] Values, int Offset)? cotangent)
    {
        int d = s.Width, w = 3 * d, dh = s.HeadWidth;
        uint threshold = DropoutKernels.Threshold(s.P);
        double keep = DropoutKernels.Scale(s.P), scale = s.Scale;
        var result = new double[s.Batch * s.Length * (cotangent is null ? d : w)];
        for (int e = 0; e < s.Batch; e++)
            for (int h = 0; h < s.Heads; h++)
                for (int i = 0; i < s.Length; i++)
                {
                    double X(int t, int part, int c) => qkv[offset + ((e * s.Length + t) * w) + (part * d) + (h * dh) + c];
                    int visible = s.Causal ? i + 1 : s.Length;
                    var p = new double[visible];
                    var factor = new double[visible];
                    for (int j = 0; j < visible; j++)
                    {
                        for (int c = 0; c < dh; c++) p[j] += (float)(s.Scale * qkv[offset + ((e * s.Length + i) * w) + (h * dh) + c]) * X(j, 1, c);
                        ulong position = (ulong)((((e * s.Heads + h) * s.Length + i) * s.Length) + j);
                        factor[j] = s.P == 0f ? 1 : DropoutKernels.Keeps(Seed, Site, Step, position, threshold) ? keep : 0;
                    }
                    double max = double.NegativeInfinity, total = 0;
                    foreach (double v in p) max = Math.Max(max, v);
                    for (int j = 0; j < visible; j++) total += p[j] = Math.Exp(p[j] - max);
                    for (int j = 0; j < visible; j++) p[j] /= total;
                    if (cotangent is not (float[] g, int at))
                    {
                        for (int j = 0; j < visible; j++)
                            for (int c = 0; c < dh; c++) result[((e * s.Length + i) * d) + (h * dh) + c] += p[j] * factor[j] * X(j, 2, c);
                        continue;
                    }

                    double G(int c) => g[at + ((e * s.Length + i) * d) + (h * dh) + c];
                    var dp = new double[visible];
                    double dot = 0;
                    for (int j = 0; j < visible; j++)
                    {
                        for (int c = 0; c < dh; c++) dp[j] += G(c) * X(j, 2, c);
                        dp[j] *= factor[j];
                        dot += p[j] * dp[j];
                    }
                    for (int j = 0; j < visible; j++)
                    {
                        double ds = p[j] * (dp[j] - dot);
                        for (int c = 0; c < dh; c++)
                        {
                            result[((e * s.Length + i) * w) + (h * dh) + c] += scale * ds * X(j, 1, c);
                            result[((e * s.Length + j) * w) + d + (h * dh) + c] += ds * (float)(s.Scale * X(i, 0, c));
                            result[((e * s.Length + j) * w) + (2 * d) + (h * dh) + c] += p[j] * factor[j] * G(c);
                        }
                    }
                }
        return result;
    }
}

/// <summary>The CPU's fused attention against its definition.</summary>
public sealed class CpuFusedAttentionKernelTests : FusedAttentionKernelTests
{
    protected override DeviceKernels Kernels => Device.Cpu.Kernels;
}

/// <summary>The OpenCL fused attention (a row per work-item) against the CPU's.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClFusedAttentionKernelTests(OpenClKernelsFixture fixture) : FusedAttentionKernelTests, IOpenClKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU fused attention on the CPU accelerator, against the CPU's.</summary>
[Collection(IlgpuCollection.Name)]
public sealed class IlgpuCpuFusedAttentionKernelTests(IlgpuKernelsFixture fixture) : FusedAttentionKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}

/// <summary>The ILGPU fused attention on CUDA, against the CPU's.</summary>
[Collection(CudaCollection.Name)]
public sealed class CudaFusedAttentionKernelTests(CudaKernelsFixture fixture) : FusedAttentionKernelTests, ICudaKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
