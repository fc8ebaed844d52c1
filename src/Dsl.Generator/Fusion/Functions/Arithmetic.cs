using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Fusion.Functions;

/// <summary>
/// Sums and products of a derivative written as a person would write them: a sum is its terms in
/// order, a positive one first, with its constants folded into one where the first stood
/// (<c>e − 9 + −9</c> is <c>e − 18</c>), each term a coefficient times its factors with the sign
/// taken out to the sum (<c>a + −(2·(100·b))·c</c> is <c>a − 200·b·c</c>). Folding and regrouping round differently from the expression as built,
/// so the simplifier applies this to the statements a transform wrote, never to the user's own.
/// </summary>
internal sealed class Arithmetic
{
    private readonly GraphBuilder _g;
    private readonly Dictionary<int, int> _memo = new();

    public Arithmetic(GraphBuilder g) => _g = g;

    /// <summary>The node, its sums and products (and theirs, inside calls, selects and comparisons) in their written form.</summary>
    public int Normalize(int id)
    {
        if (_memo.TryGetValue(id, out int done)) return done;
        Node n = _g[id];
        int result;
        if (n.Inputs.Count == 0)
            result = id;
        else if (n.Op is OpKind.Add or OpKind.Subtract or OpKind.Negate or OpKind.Multiply && IsNumber(n.Type))
            result = Build(Sum(id), n.Type);
        else
            result = _g.Remake(n, n.Inputs.Select(Normalize).ToArray());
        _memo[id] = result;
        return result;
    }

    /// <summary>
    /// The node as a sign and a magnitude, for an accumulation (<c>v -= m</c> rather than
    /// <c>v += −m</c>): negative when every term is, the magnitude then being the sum of theirs.
    /// </summary>
    public (bool Negative, int Magnitude) Signed(int id)
    {
        Node n = _g[id];
        if (!IsNumber(n.Type)) return (false, Normalize(id));
        List<(double Coefficient, List<int>? Factors)> terms = Sum(id);
        if (terms.Count > 0 && terms.All(t => t.Coefficient < 0))
            return (true, Build(terms.Select(t => (-t.Coefficient, t.Factors)).ToList(), n.Type));
        return (false, Build(terms, n.Type));
    }

    private static bool IsNumber(DType type) => type is DType.F64 or DType.F32 or DType.I32;

    // ---- Reading a sum ----

    /// <summary>The terms of a sum in order, each a signed coefficient and its factors; the constants are one term without factors, where the first stood.</summary>
    private List<(double Coefficient, List<int>? Factors)> Sum(int id)
    {
        var terms = new List<(double Coefficient, List<int>? Factors)>();
        int constant = -1;
        void Walk(int node, double sign)
        {
            Node n = _g[node];
            switch (n.Op)
            {
                case OpKind.Add: Walk(n.Inputs[0], sign); Walk(n.Inputs[1], sign); return;
                case OpKind.Subtract: Walk(n.Inputs[0], sign); Walk(n.Inputs[1], -sign); return;
                case OpKind.Negate: Walk(n.Inputs[0], -sign); return;
            }
            var factors = new List<int>();
            double coefficient = sign * Product(node, factors);
            int like = factors.Count == 0 ? -1 : terms.FindIndex(t => t.Factors is { } f && SameFactors(f, factors));
            if (like >= 0)
                terms[like] = (terms[like].Coefficient + coefficient, terms[like].Factors); // x·y + y·x is 2·x·y
            else if (factors.Count > 0)
                terms.Add((coefficient, factors));
            else if (constant < 0)
            {
                constant = terms.Count;
                terms.Add((coefficient, null));
            }
            else
                terms[constant] = (terms[constant].Coefficient + coefficient, null);
        }
        Walk(id, 1);
        if (constant >= 0 && terms[constant].Coefficient == 0 && terms.Count > 1)
            terms.RemoveAt(constant);
        return terms;
    }

    /// <summary>Whether two products have the same factors, in any order.</summary>
    private static bool SameFactors(List<int> a, List<int> b) =>
        a.Count == b.Count && a.OrderBy(x => x).SequenceEqual(b.OrderBy(x => x));

    /// <summary>The factors of a product, in order, each normalized; returns the product of its constants and signs.</summary>
    private double Product(int id, List<int> factors)
    {
        Node n = _g[id];
        switch (n.Op)
        {
            case OpKind.Multiply:
                return Product(n.Inputs[0], factors) * Product(n.Inputs[1], factors);
            case OpKind.Negate:
                return -Product(n.Inputs[0], factors);
            case OpKind.Constant:
                return n.Constant;
            case OpKind.Divide when _g[n.Inputs[0]].Op == OpKind.Negate:
                // −a / b is −(a / b) exactly; the quotient itself stays as written.
                factors.Add(_g.Divide(Normalize(_g[n.Inputs[0]].Inputs[0]), Normalize(n.Inputs[1])));
                return -1;
            default:
                factors.Add(Normalize(id));
                return 1;
        }
    }

    // ---- Writing it back ----

    private int Build(List<(double Coefficient, List<int>? Factors)> terms, DType type)
    {
        // A sum reads better from a positive term: −a − b + c is c − a − b.
        int positive = terms.FindIndex(t => t.Coefficient > 0);
        if (positive > 0)
        {
            var first = terms[positive];
            terms.RemoveAt(positive);
            terms.Insert(0, first);
        }
        int sum = Term(terms[0].Coefficient, terms[0].Factors, type);
        for (int k = 1; k < terms.Count; k++)
        {
            var (coefficient, factors) = terms[k];
            int magnitude = Term(System.Math.Abs(coefficient), factors, type);
            sum = coefficient < 0 ? _g.Subtract(sum, magnitude) : _g.Add(sum, magnitude);
        }
        return sum;
    }

    /// <summary><c>c · f₁ · f₂ ...</c>, left to right; a coefficient of −1 is a negation, another negative one a negative literal.</summary>
    private int Term(double coefficient, List<int>? factors, DType type)
    {
        if (factors is null) return _g.Constant(coefficient, type);
        int product = coefficient is 1 or -1 ? factors[0] : _g.Multiply(_g.Constant(coefficient, type), factors[0]);
        for (int k = 1; k < factors.Count; k++) product = _g.Multiply(product, factors[k]);
        return coefficient == -1 ? _g.Negate(product) : product;
    }
}
