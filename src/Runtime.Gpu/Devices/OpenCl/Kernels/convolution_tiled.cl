// The fused convolution and its two gradients (issues 17/19) as implicit GEMMs in
// OpenCL C 1.2, tiled as gemm.cl is (its TILE, BLOCK, TILE_K and ITEMS; this source follows it in the
// library's program). Each kernel is C[m, n] = sum over k of A(m, k) * B(k, n) with a gathered B:
//
//   forward       y[e, oc, p]     m = oc, n = (e, p),     k = tap (ch, i, j)   A = w,  B = x at the tap of the position
//   input grad    dx[e, ch, pix]  m = ch, n = (e, pixel), k = (oc, i, j)       A = w,  B = dy at the position that read the pixel through (i, j)
//   weight grad   dw[oc, tap]     m = oc, n = tap,        k = (e, p)           A = dy, B = x at the tap of the position
//
// A work-group of (ITEMS, items_m) work-items computes a (items_m * BLOCK) x TILE block of C, each
// work-item BLOCK x BLOCK outputs in registers, strided by the group's sides so that neighbouring
// work-items read neighbouring local addresses. For every step of TILE_K along k the group stages
// the slice of A and the gathered slice of B in local memory, zero in the padding and past the
// edges. The image (or dy) address of an element of B is a column part plus a row part: the group
// works out the parts of its TILE columns once (the divisions by the output width) and those of the
// next TILE_K rows while it multiplies, so staging divides by nothing but the stride. A part that
// is out of range is CONV_OUTSIDE, which keeps any sum with the other part negative, hence outside.
//
// No atomics: every output has one owner. The weight gradient's k (the batch and the positions) is
// cut into `slices` spans of the same length, a multiple of TILE_K, fixed by the shape alone; each
// group writes its span's partial sums and conv_sum_slices adds the spans in order, so the bits
// do not depend on how the groups are scheduled.
#define CONV_OUTSIDE (-(1 << 28))

// The local tiles and address parts a work-group shares.
typedef struct
{
    float a[TILE_K][TILE + 1];
    float b[TILE_K][TILE + 1];
    int column_base[TILE], column_top[TILE], column_left[TILE];
    int row_base[TILE_K], row_top[TILE_K], row_left[TILE_K], row_a[TILE_K];
} conv_tiles;

// The parts of image element (base, top, left) of column n = (e, p) or row k = (e, p): the first
// pixel its window reads, or CONV_OUTSIDE past `count`.
void conv_position_part(const int q, const int count, const int p_count, const int image, const int ow,
                        const int sh, const int sw, const int ph, const int pw,
                        __local int* base, __local int* top, __local int* left)
{
    const int e = q / p_count, p = q % p_count;
    base[0] = q < count ? e * image : 0;
    top[0] = q < count ? p / ow * sh - ph : CONV_OUTSIDE;
    left[0] = q < count ? p % ow * sw - pw : 0;
}

// The parts of tap t = (ch, i, j): channel ch's plane and the window's offsets, or CONV_OUTSIDE past `count`.
void conv_tap_part(const int t, const int count, const int h, const int w, const int kh, const int kw, const int dh, const int dw,
                   __local int* base, __local int* top, __local int* left)
{
    base[0] = t < count ? t / (kh * kw) * h * w : 0;
    top[0] = t < count ? t / kw % kh * dh : CONV_OUTSIDE;
    left[0] = t < count ? t % kw * dw : 0;
}

// b[kk][nn] = x at (column part + row part), zero outside the h x w image.
void conv_stage_image(__local conv_tiles* s, __global const float* x, const int h, const int w, const int id, const int items)
{
    for (int q = id; q < TILE_K * TILE; q += items)
    {
        const int kk = q / TILE, nn = q % TILE;
        const int yy = s->column_top[nn] + s->row_top[kk], xx = s->column_left[nn] + s->row_left[kk];
        s->b[kk][nn] = yy >= 0 && yy < h && xx >= 0 && xx < w ? x[s->column_base[nn] + s->row_base[kk] + yy * w + xx] : 0.0f;
    }
}

// sums[i][j] += the group's slice of A times its slice of B, for this work-item's outputs.
void conv_multiply(__local conv_tiles* s, float sums[BLOCK][BLOCK], const int lx, const int ly, const int items_m)
{
    for (int kk = 0; kk < TILE_K; kk++)
    {
        float ak[BLOCK], bk[BLOCK];
        for (int i = 0; i < BLOCK; i++)
            ak[i] = s->a[kk][ly + i * items_m];
        for (int j = 0; j < BLOCK; j++)
            bk[j] = s->b[kk][lx + j * ITEMS];
        for (int i = 0; i < BLOCK; i++)
            for (int j = 0; j < BLOCK; j++)
                sums[i][j] += ak[i] * bk[j];
    }
}

// y[e, oc, p] = sum over taps t of w[oc, t] * x[e] at tap t of position p (Convolution.Forward).
__kernel void conv_tiled_forward(const int c, const int h, const int w, const int kh, const int kw, const int sh, const int sw,
                                 const int ph, const int pw, const int dh, const int dw, const int oh, const int ow, const int o,
                                 const int batch,
                                 __global const float* x, const int xo,
                                 __global const float* weight, const int wo,
                                 __global float* y, const int yo)
{
    __local conv_tiles s;
    const int lx = get_local_id(0), ly = get_local_id(1), items_m = get_local_size(1), items = ITEMS * items_m, id = ly * ITEMS + lx;
    const int tile_m = items_m * BLOCK, row0 = get_group_id(1) * tile_m, col0 = get_group_id(0) * TILE;
    const int positions = oh * ow, n_count = batch * positions, k_count = c * kh * kw;
    x += xo; weight += wo; y += yo;
    float sums[BLOCK][BLOCK];
    for (int i = 0; i < BLOCK; i++)
        for (int j = 0; j < BLOCK; j++)
            sums[i][j] = 0.0f;
    for (int q = id; q < TILE; q += items)
        conv_position_part(col0 + q, n_count, positions, c * h * w, ow, sh, sw, ph, pw, &s.column_base[q], &s.column_top[q], &s.column_left[q]);
    for (int q = id; q < TILE_K; q += items)
        conv_tap_part(q, k_count, h, w, kh, kw, dh, dw, &s.row_base[q], &s.row_top[q], &s.row_left[q]);
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int t = 0; t < k_count; t += TILE_K)
    {
        for (int q = id; q < tile_m * TILE_K; q += items)
        {
            const int m = q / TILE_K, kk = q % TILE_K;
            s.a[kk][m] = row0 + m < o && t + kk < k_count ? weight[(row0 + m) * k_count + t + kk] : 0.0f;
        }
        conv_stage_image(&s, x, h, w, id, items);
        barrier(CLK_LOCAL_MEM_FENCE);
        conv_multiply(&s, sums, lx, ly, items_m);
        for (int q = id; q < TILE_K; q += items)
            conv_tap_part(t + TILE_K + q, k_count, h, w, kh, kw, dh, dw, &s.row_base[q], &s.row_top[q], &s.row_left[q]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int j = 0; j < BLOCK; j++)
    {
        const int n = col0 + lx + j * ITEMS;
        if (n >= n_count) continue;
        const int e = n / positions, p = n % positions;
        for (int i = 0; i < BLOCK; i++)
        {
            const int m = row0 + ly + i * items_m;
            if (m < o) y[(e * o + m) * positions + p] = sums[i][j];
        }
    }
}

// The parts of dy's element for row k = (oc, i, j): oc's plane and minus the window's offsets (the
// position is (pixel + padding - offset) / stride), and w's element (oc, ch = 0, i, j); CONV_OUTSIDE past `count`.
void conv_transposed_tap_part(const int k, const int count, const int c, const int kh, const int kw, const int dh, const int dw,
                              const int positions, __local int* base, __local int* top, __local int* left, __local int* a)
{
    const int oc = k / (kh * kw), ij = k % (kh * kw);
    base[0] = k < count ? oc * positions : 0;
    top[0] = k < count ? -(ij / kw * dh) : CONV_OUTSIDE;
    left[0] = k < count ? -(ij % kw * dw) : 0;
    a[0] = k < count ? oc * c * kh * kw + ij : 0;
}

// dx[e, ch, yy, xx] = sum over (oc, i, j) of w[oc, (ch * kh + i) * kw + j] * dy[e, oc] at the position
// that reads pixel (yy, xx) through (i, j), where there is one (Convolution.InputGradient): a gather, no atomics.
__kernel void conv_tiled_input_grad(const int c, const int h, const int w, const int kh, const int kw, const int sh, const int sw,
                                    const int ph, const int pw, const int dh, const int dw, const int oh, const int ow, const int o,
                                    const int batch,
                                    __global const float* dy, const int dyo,
                                    __global const float* weight, const int wo,
                                    __global float* dx, const int dxo)
{
    __local conv_tiles s;
    const int lx = get_local_id(0), ly = get_local_id(1), items_m = get_local_size(1), items = ITEMS * items_m, id = ly * ITEMS + lx;
    const int tile_m = items_m * BLOCK, row0 = get_group_id(1) * tile_m, col0 = get_group_id(0) * TILE;
    const int pixels = h * w, positions = oh * ow, n_count = batch * pixels, k_count = o * kh * kw;
    dy += dyo; weight += wo; dx += dxo;
    float sums[BLOCK][BLOCK];
    for (int i = 0; i < BLOCK; i++)
        for (int j = 0; j < BLOCK; j++)
            sums[i][j] = 0.0f;
    for (int q = id; q < TILE; q += items)
    {
        // Column n = (e, pixel): dy's example and the pixel plus the padding.
        const int n = col0 + q, e = n / pixels, pixel = n % pixels;
        s.column_base[q] = n < n_count ? e * o * positions : 0;
        s.column_top[q] = n < n_count ? pixel / w + ph : CONV_OUTSIDE;
        s.column_left[q] = n < n_count ? pixel % w + pw : 0;
    }
    for (int q = id; q < TILE_K; q += items)
        conv_transposed_tap_part(q, k_count, c, kh, kw, dh, dw, positions, &s.row_base[q], &s.row_top[q], &s.row_left[q], &s.row_a[q]);
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int t = 0; t < k_count; t += TILE_K)
    {
        for (int q = id; q < tile_m * TILE_K; q += items)
        {
            const int m = q / TILE_K, kk = q % TILE_K;
            s.a[kk][m] = row0 + m < c && t + kk < k_count ? weight[s.row_a[kk] + (row0 + m) * kh * kw] : 0.0f;
        }
        for (int q = id; q < TILE_K * TILE; q += items)
        {
            const int kk = q / TILE, nn = q % TILE;
            const int rows = s.column_top[nn] + s.row_top[kk], cols = s.column_left[nn] + s.row_left[kk];
            const bool read = rows >= 0 && cols >= 0 && rows % sh == 0 && cols % sw == 0 && rows / sh < oh && cols / sw < ow;
            s.b[kk][nn] = read ? dy[s.column_base[nn] + s.row_base[kk] + rows / sh * ow + cols / sw] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        conv_multiply(&s, sums, lx, ly, items_m);
        for (int q = id; q < TILE_K; q += items)
            conv_transposed_tap_part(t + TILE_K + q, k_count, c, kh, kw, dh, dw, positions, &s.row_base[q], &s.row_top[q], &s.row_left[q], &s.row_a[q]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int j = 0; j < BLOCK; j++)
    {
        const int n = col0 + lx + j * ITEMS;
        if (n >= n_count) continue;
        const int e = n / pixels, pixel = n % pixels;
        for (int i = 0; i < BLOCK; i++)
        {
            const int m = row0 + ly + i * items_m;
            if (m < c) dx[(e * c + m) * pixels + pixel] = sums[i][j];
        }
    }
}

// The weight gradient's row parts of term k = (e, p) in slot q: the image's, and dy's element (e, oc = 0, p).
void conv_term_part(__local conv_tiles* s, const int q, const int k, const int k_end, const int positions, const int image,
                    const int ow, const int sh, const int sw, const int ph, const int pw, const int o)
{
    conv_position_part(k, k_end, positions, image, ow, sh, sw, ph, pw, &s->row_base[q], &s->row_top[q], &s->row_left[q]);
    s->row_a[q] = k / positions * o * positions + k % positions;
}

// partial[slice, oc, tap] = sum over k = (e, p) in the slice's span of dy[e, oc, p] * x[e] at the tap
// of position p; `partial` is dw itself when there is one slice (Convolution.WeightGradient).
__kernel void conv_tiled_weight_grad(const int c, const int h, const int w, const int kh, const int kw, const int sh, const int sw,
                                     const int ph, const int pw, const int dh, const int dw, const int oh, const int ow, const int o,
                                     const int batch, const int span,
                                     __global const float* dy, const int dyo,
                                     __global const float* x, const int xo,
                                     __global float* partial, const int partialo)
{
    __local conv_tiles s;
    const int lx = get_local_id(0), ly = get_local_id(1), items_m = get_local_size(1), items = ITEMS * items_m, id = ly * ITEMS + lx;
    const int tile_m = items_m * BLOCK, row0 = get_group_id(1) * tile_m, col0 = get_group_id(0) * TILE;
    const int positions = oh * ow, n_count = c * kh * kw, k_first = get_group_id(2) * span;
    const int k_end = min(batch * positions, k_first + span);
    dy += dyo; x += xo; partial += partialo + get_group_id(2) * o * n_count;
    float sums[BLOCK][BLOCK];
    for (int i = 0; i < BLOCK; i++)
        for (int j = 0; j < BLOCK; j++)
            sums[i][j] = 0.0f;
    for (int q = id; q < TILE; q += items)
        conv_tap_part(col0 + q, n_count, h, w, kh, kw, dh, dw, &s.column_base[q], &s.column_top[q], &s.column_left[q]);
    for (int q = id; q < TILE_K; q += items)
        conv_term_part(&s, q, k_first + q, k_end, positions, c * h * w, ow, sh, sw, ph, pw, o);
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int t = k_first; t < k_end; t += TILE_K)
    {
        for (int q = id; q < tile_m * TILE_K; q += items)
        {
            const int m = q / TILE_K, kk = q % TILE_K;
            s.a[kk][m] = row0 + m < o && t + kk < k_end ? dy[s.row_a[kk] + (row0 + m) * positions] : 0.0f;
        }
        conv_stage_image(&s, x, h, w, id, items);
        barrier(CLK_LOCAL_MEM_FENCE);
        conv_multiply(&s, sums, lx, ly, items_m);
        for (int q = id; q < TILE_K; q += items)
            conv_term_part(&s, q, t + TILE_K + q, k_end, positions, c * h * w, ow, sh, sw, ph, pw, o);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = 0; i < BLOCK; i++)
    {
        const int m = row0 + ly + i * items_m;
        if (m >= o) continue;
        for (int j = 0; j < BLOCK; j++)
        {
            const int n = col0 + lx + j * ITEMS;
            if (n < n_count) partial[m * n_count + n] = sums[i][j];
        }
    }
}

// dw[i] = sum over the slices in order of partial[slice, i]: the weight gradient's second pass.
__kernel void conv_sum_slices(const int total, const int slices, __global const float* partial,
                              __global float* dwt, const int dwo)
{
    const int z = get_global_id(0);
    if (z >= total) return;
    float sum = partial[z];
    for (int s = 1; s < slices; s++)
        sum += partial[s * total + z];
    dwt[dwo + z] = sum;
}
