// Issue 20, item 3: fused multi-head attention (Dsl.Kernels.Attention). q, k and v are read from the
// fused projection [T, 3d], the heads written side by side. One work-item per query row (the forward
// pass, the backward's dq) or per key row (dk and dv); a weight is recomputed from q and k wherever
// it is needed, so no [H, T, T] array exists: O(T·dh) a row forward, O(T²·dh) a key row backward
// (simple kernels; the CPU's are the fast ones). The dropout draws are philox.cl's.

#define ATTENTION_DROP_ARGS const uint seed_lo, const uint seed_hi, const uint site, const uint step, const uint threshold, const float keep, const int drop

// The score of query q against key k: Σ_c (scale·q[c])·k[c], q scaled and rounded first.
float attention_score(__global const float* q, __global const float* k, const int dh, const float scale)
{
    float s = 0.0f;
    for (int c = 0; c < dh; c++)
        s += (scale * q[c]) * k[c];
    return s;
}

// x dropped at stream position index (x when drop is 0).
float attention_drop(const float x, const ulong index, ATTENTION_DROP_ARGS)
{
    return drop ? dsl_dropout(x, (uint)index, (uint)(index >> 32), site, step, seed_lo, seed_hi, threshold, keep) : x;
}

// The row's largest score and Σ exp(s − max) over its n visible keys (rows w apart).
void attention_row(__global const float* q, __global const float* keys, const int w, const int n, const int dh, const float scale,
                   float* max_out, float* sum_out)
{
    float m = -INFINITY;
    for (int j = 0; j < n; j++)
        m = fmax(m, attention_score(q, keys + j * w, dh, scale));
    float l = 0.0f;
    for (int j = 0; j < n; j++)
        l += exp(attention_score(q, keys + j * w, dh, scale) - m);
    *max_out = m;
    *sum_out = l;
}

// D = Σ_j P[j]·dP[j] of one query row: dP = the dropped ȳ·vᵀ.
float attention_row_dot(__global const float* q, __global const float* g, __global const float* keys, __global const float* values,
                        const int w, const int n, const int dh, const float scale, const float m, const float inverse, const ulong first,
                        ATTENTION_DROP_ARGS)
{
    float dot = 0.0f;
    for (int j = 0; j < n; j++)
    {
        const float p = exp(attention_score(q, keys + j * w, dh, scale) - m) * inverse;
        const float dp = attention_drop(attention_score(g, values + j * w, dh, 1.0f), first + j, seed_lo, seed_hi, site, step, threshold, keep, drop);
        dot += p * dp;
    }
    return dot;
}

__kernel void attention_forward(const int n_items, const int length, const int heads, const int dh, const int causal, const float scale,
                                ATTENTION_DROP_ARGS, __global const float* qkv, const int qo, __global float* y, const int yo)
{
    const int gid = get_global_id(0);
    if (gid >= n_items) return;
    const int u = gid / length, i = gid % length, e = u / heads, h = u % heads, d = heads * dh, w = 3 * d;
    __global const float* x = qkv + qo + (long)e * length * w + h * dh;
    __global const float* q = x + (long)i * w;
    __global float* out = y + yo + ((long)e * length + i) * d + h * dh;
    const int n = causal ? i + 1 : length;
    float m, l;
    attention_row(q, x + d, w, n, dh, scale, &m, &l);
    const float inverse = 1.0f / l;
    const ulong first = ((ulong)u * length + i) * length;
    for (int c = 0; c < dh; c++)
        out[c] = 0.0f;
    for (int j = 0; j < n; j++)
    {
        const float p = attention_drop(exp(attention_score(q, x + d + (long)j * w, dh, scale) - m) * inverse, first + j,
                                       seed_lo, seed_hi, site, step, threshold, keep, drop);
        for (int c = 0; c < dh; c++)
            out[c] += p * x[2 * d + (long)j * w + c];
    }
}

// dq of one query row: scale · Σ_j P⊙(dP − D) · k[j].
__kernel void attention_backward_queries(const int n_items, const int length, const int heads, const int dh, const int causal, const float scale,
                                         ATTENTION_DROP_ARGS, __global const float* qkv, const int qo, __global const float* g, const int go,
                                         __global float* r, const int ro)
{
    const int gid = get_global_id(0);
    if (gid >= n_items) return;
    const int u = gid / length, i = gid % length, e = u / heads, h = u % heads, d = heads * dh, w = 3 * d;
    __global const float* x = qkv + qo + (long)e * length * w + h * dh;
    __global const float* q = x + (long)i * w;
    __global const float* gi = g + go + ((long)e * length + i) * d + h * dh;
    __global float* dq = r + ro + ((long)e * length + i) * w + h * dh;
    const int n = causal ? i + 1 : length;
    float m, l;
    attention_row(q, x + d, w, n, dh, scale, &m, &l);
    const float inverse = 1.0f / l;
    const ulong first = ((ulong)u * length + i) * length;
    const float dot = attention_row_dot(q, gi, x + d, x + 2 * d, w, n, dh, scale, m, inverse, first, seed_lo, seed_hi, site, step, threshold, keep, drop);
    for (int c = 0; c < dh; c++)
        dq[c] = 0.0f;
    for (int j = 0; j < n; j++)
    {
        const float p = exp(attention_score(q, x + d + (long)j * w, dh, scale) - m) * inverse;
        const float dp = attention_drop(attention_score(gi, x + 2 * d + (long)j * w, dh, 1.0f), first + j, seed_lo, seed_hi, site, step, threshold, keep, drop);
        const float ds = p * (dp - dot);
        for (int c = 0; c < dh; c++)
            dq[c] += ds * x[d + (long)j * w + c];
    }
    for (int c = 0; c < dh; c++)
        dq[c] *= scale;
}

// dk and dv of one key row j: Σ over the query rows i that see it of dS[i, j]·(scale·q[i]) and P̃[i, j]·ȳ[i].
__kernel void attention_backward_keys(const int n_items, const int length, const int heads, const int dh, const int causal, const float scale,
                                      ATTENTION_DROP_ARGS, __global const float* qkv, const int qo, __global const float* g, const int go,
                                      __global float* r, const int ro)
{
    const int gid = get_global_id(0);
    if (gid >= n_items) return;
    const int u = gid / length, j = gid % length, e = u / heads, h = u % heads, d = heads * dh, w = 3 * d;
    __global const float* x = qkv + qo + (long)e * length * w + h * dh;
    __global float* dk = r + ro + ((long)e * length + j) * w + d + h * dh;
    __global float* dv = dk + d;
    for (int c = 0; c < dh; c++)
    {
        dk[c] = 0.0f;
        dv[c] = 0.0f;
    }
    for (int i = causal ? j : 0; i < length; i++)
    {
        __global const float* q = x + (long)i * w;
        __global const float* gi = g + go + ((long)e * length + i) * d + h * dh;
        const int n = causal ? i + 1 : length;
        float m, l;
        attention_row(q, x + d, w, n, dh, scale, &m, &l);
        const float inverse = 1.0f / l;
        const ulong first = ((ulong)u * length + i) * length;
        const float dot = attention_row_dot(q, gi, x + d, x + 2 * d, w, n, dh, scale, m, inverse, first, seed_lo, seed_hi, site, step, threshold, keep, drop);
        const float p = exp(attention_score(q, x + d + (long)j * w, dh, scale) - m) * inverse;
        const float dp = attention_drop(attention_score(gi, x + 2 * d + (long)j * w, dh, 1.0f), first + j, seed_lo, seed_hi, site, step, threshold, keep, drop);
        const float ds = p * (dp - dot);
        const float dropped = attention_drop(p, first + j, seed_lo, seed_hi, site, step, threshold, keep, drop);
        for (int c = 0; c < dh; c++)
        {
            dk[c] += ds * (scale * q[c]);
            dv[c] += dropped * gi[c];
        }
    }
}
