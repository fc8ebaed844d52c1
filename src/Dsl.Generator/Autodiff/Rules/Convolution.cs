using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// The fused convolution's three ops are one bilinear map, y = W·im2col(x)ᵀ, seen from each of its
// three slots (y, W, x): each op's partial transposes are the other two, as Linear, LinearTranspose
// and OuterBatchSum are for a Dense layer, so derivatives of any order stay within the three.
internal static partial class VjpRules
{
    /// <summary>y = conv(W, x): W̄ = Σ_batch ȳ·im2col(x), x̄ = col2im(Wᵀ·ȳ).</summary>
    internal static int?[] Convolution(GraphBuilder g, Node y, int dy)
    {
        int w = y.Inputs[0], x = y.Inputs[1];
        var geometry = ConvolutionGeometry.Of(y);
        return new int?[] { g.ConvolutionWeightGrad(dy, x, geometry), g.ConvolutionInputGrad(w, dy, g[x].Shape, geometry) };
    }

    /// <summary>z = col2im(Wᵀ·d): W̄ = Σ_batch d·im2col(z̄), d̄ = conv(W, z̄).</summary>
    internal static int?[] ConvolutionInputGrad(GraphBuilder g, Node z, int dz)
    {
        int w = z.Inputs[0], d = z.Inputs[1];
        var geometry = ConvolutionGeometry.Of(z);
        return new int?[] { g.ConvolutionWeightGrad(d, dz, geometry), g.Convolution(w, dz, geometry) };
    }

    /// <summary>G = Σ_batch d·im2col(x): d̄ = conv(Ḡ, x), x̄ = col2im(Ḡᵀ·d).</summary>
    internal static int?[] ConvolutionWeightGrad(GraphBuilder g, Node grad, int dg)
    {
        int d = grad.Inputs[0], x = grad.Inputs[1];
        var geometry = ConvolutionGeometry.Of(grad);
        return new int?[] { g.Convolution(dg, x, geometry), g.ConvolutionInputGrad(dg, d, g[x].Shape, geometry) };
    }
}

// Forward mode: each op is bilinear, so its tangent is the sum of the op with one tangent in each slot.
internal static partial class JvpRules
{
    internal static int? Convolution(GraphBuilder g, Node y, int?[] t)
    {
        var geometry = ConvolutionGeometry.Of(y);
        return Sum(g, Map(t[0], d => g.Convolution(d, y.Inputs[1], geometry)), Map(t[1], d => g.Convolution(y.Inputs[0], d, geometry)));
    }

    internal static int? ConvolutionInputGrad(GraphBuilder g, Node z, int?[] t)
    {
        var geometry = ConvolutionGeometry.Of(z);
        return Sum(g, Map(t[0], d => g.ConvolutionInputGrad(d, z.Inputs[1], z.Shape, geometry)),
            Map(t[1], d => g.ConvolutionInputGrad(z.Inputs[0], d, z.Shape, geometry)));
    }

    internal static int? ConvolutionWeightGrad(GraphBuilder g, Node grad, int?[] t)
    {
        var geometry = ConvolutionGeometry.Of(grad);
        return Sum(g, Map(t[0], d => g.ConvolutionWeightGrad(d, grad.Inputs[1], geometry)),
            Map(t[1], d => g.ConvolutionWeightGrad(grad.Inputs[0], d, geometry)));
    }
}
