using Dsl.Generator.Emit.CSharp;

namespace Dsl.Generator.Emit.OpenCl.Library;

/// <summary>
/// The row kernels of <c>Dsl.Kernels.Rows</c> in OpenCL C, one work-item per row of a row-major
/// [rows, cols] matrix (one per column for the column sum), with the CPU kernels' formulas:
/// softmax as exp(x - max)·(1 / Σ exp(x - max)), log-softmax and cross-entropy through
/// max + log Σ exp(x - max), accuracy as "the first largest logit is the label". Sums run in the
/// CPU's order along the row, in float.
/// </summary>
/// <remarks>
/// Rows are short in these models (a logit per class), so one work-item per row keeps each
/// kernel a plain loop; labels were checked on the host, so kernels index with them directly.
/// </remarks>
internal static class RowKernels
{
    private const string Buffer = TypeNames.OpenClBuffer;
    private const string Kernel = TypeNames.OpenClKernel;

    public static readonly KernelLauncher RowsLauncher = new("Rows", $$"""
        /// <summary>Runs a row kernel, y = f(x) row by row over a [rows, cols] matrix: one work-item per row.</summary>
        private static void Rows({{Kernel}} kernel, int rows, int cols, {{Buffer}} x, int xOffset, {{Buffer}} y, int yOffset)
        {
            kernel.SetArg(0, rows);
            kernel.SetArg(1, cols);
            kernel.SetArg(2, x);
            kernel.SetArg(3, xOffset);
            kernel.SetArg(4, y);
            kernel.SetArg(5, yOffset);
            kernel.Launch(RoundUp(rows, 64));
        }
        """);

    public static readonly KernelLauncher ColumnsLauncher = new("Columns", $$"""
        /// <summary>Runs a column kernel, y[c] = f(x[:, c]) over a [rows, cols] matrix: one work-item per column.</summary>
        private static void Columns({{Kernel}} kernel, int rows, int cols, {{Buffer}} x, int xOffset, {{Buffer}} y, int yOffset)
        {
            kernel.SetArg(0, rows);
            kernel.SetArg(1, cols);
            kernel.SetArg(2, x);
            kernel.SetArg(3, xOffset);
            kernel.SetArg(4, y);
            kernel.SetArg(5, yOffset);
            kernel.Launch(RoundUp(cols, 64));
        }
        """);

    public static readonly KernelLauncher LabelRowsLauncher = new("LabelRows", $$"""
        /// <summary>Runs a row kernel that reads each row's label, y[r] = f(x[r, :], labels[r]): one work-item per row.</summary>
        private static void LabelRows({{Kernel}} kernel, int rows, int cols, {{Buffer}} x, int xOffset, {{Buffer}} labels, int labelsOffset, {{Buffer}} y, int yOffset)
        {
            kernel.SetArg(0, rows);
            kernel.SetArg(1, cols);
            kernel.SetArg(2, x);
            kernel.SetArg(3, xOffset);
            kernel.SetArg(4, labels);
            kernel.SetArg(5, labelsOffset);
            kernel.SetArg(6, y);
            kernel.SetArg(7, yOffset);
            kernel.Launch(RoundUp(rows, 64));
        }
        """);

    public static readonly KernelLauncher CrossEntropyGradLauncher = new("CrossEntropyGrad", $$"""
        /// <summary>
        /// Runs cross_entropy_grad_rows, dx[r, :] = u·(softmax(x[r, :]) − onehot(labels[r])): one
        /// work-item per row. u is weights[r] when perRow is 1, else weight (any buffer stands in for weights).
        /// </summary>
        private static void CrossEntropyGrad({{Kernel}} kernel, int rows, int cols, {{Buffer}} x, int xOffset, {{Buffer}} labels, int labelsOffset, {{Buffer}} weights, int weightsOffset, int perRow, float weight, {{Buffer}} dx, int dxOffset)
        {
            kernel.SetArg(0, rows);
            kernel.SetArg(1, cols);
            kernel.SetArg(2, x);
            kernel.SetArg(3, xOffset);
            kernel.SetArg(4, labels);
            kernel.SetArg(5, labelsOffset);
            kernel.SetArg(6, weights);
            kernel.SetArg(7, weightsOffset);
            kernel.SetArg(8, perRow);
            kernel.SetArg(9, weight);
            kernel.SetArg(10, dx);
            kernel.SetArg(11, dxOffset);
            kernel.Launch(RoundUp(rows, 64));
        }
        """);

    public static readonly KernelLauncher OneHotLauncher = new("OneHot", $$"""
        /// <summary>Runs one_hot_rows: y[r, :] = onehot(labels[r]), one work-item per row.</summary>
        private static void OneHot({{Kernel}} kernel, int rows, int cols, {{Buffer}} labels, int labelsOffset, {{Buffer}} y, int yOffset)
        {
            kernel.SetArg(0, rows);
            kernel.SetArg(1, cols);
            kernel.SetArg(2, labels);
            kernel.SetArg(3, labelsOffset);
            kernel.SetArg(4, y);
            kernel.SetArg(5, yOffset);
            kernel.Launch(RoundUp(rows, 64));
        }
        """);

    public static readonly LibraryKernel SumRows = new("sum_rows", """
        // y[r] = sum_c x[r, c]: sum (of each example's elements).
        __kernel void sum_rows(const int rows, const int cols,
                               __global const float* x, const int xo,
                               __global float* y, const int yo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            __global const float* xr = x + xo + r * cols;
            float sum = 0.0f;
            for (int c = 0; c < cols; c++)
                sum += xr[c];
            y[yo + r] = sum;
        }
        """, RowsLauncher);

    public static readonly LibraryKernel SumColumns = new("sum_columns", """
        // y[c] = sum_r x[r, c]: batch_sum, how a parameter's gradient reduces over the batch.
        __kernel void sum_columns(const int rows, const int cols,
                                  __global const float* x, const int xo,
                                  __global float* y, const int yo)
        {
            const int c = get_global_id(0);
            if (c >= cols) return;
            float sum = 0.0f;
            for (int r = 0; r < rows; r++)
                sum += x[xo + r * cols + c];
            y[yo + c] = sum;
        }
        """, ColumnsLauncher);

    public static readonly LibraryKernel Softmax = new("softmax_rows", """
        // y[r, :] = softmax(x[r, :]) = exp(x - max) * (1 / sum exp(x - max)); large logits cannot overflow.
        __kernel void softmax_rows(const int rows, const int cols,
                                   __global const float* x, const int xo,
                                   __global float* y, const int yo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            __global const float* xr = x + xo + r * cols;
            __global float* yr = y + yo + r * cols;
            float max = xr[0];
            for (int c = 1; c < cols; c++)
                max = xr[c] > max ? xr[c] : max;
            float sum = 0.0f;
            for (int c = 0; c < cols; c++)
            {
                const float e = exp(xr[c] - max);
                yr[c] = e;
                sum += e;
            }
            const float scale = 1.0f / sum;
            for (int c = 0; c < cols; c++)
                yr[c] *= scale;
        }
        """, RowsLauncher);

    public static readonly LibraryKernel LogSoftmax = new("log_softmax_rows", """
        // y[r, :] = x[r, :] - logsumexp(x[r, :]), with logsumexp = max + log sum exp(x - max).
        __kernel void log_softmax_rows(const int rows, const int cols,
                                       __global const float* x, const int xo,
                                       __global float* y, const int yo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            __global const float* xr = x + xo + r * cols;
            __global float* yr = y + yo + r * cols;
            float max = xr[0];
            for (int c = 1; c < cols; c++)
                max = xr[c] > max ? xr[c] : max;
            float sum = 0.0f;
            for (int c = 0; c < cols; c++)
                sum += exp(xr[c] - max);
            const float logSum = max + log(sum);
            for (int c = 0; c < cols; c++)
                yr[c] = xr[c] - logSum;
        }
        """, RowsLauncher);

    public static readonly LibraryKernel CrossEntropy = new("cross_entropy_rows", """
        // loss[r] = logsumexp(logits[r, :]) - logits[r, labels[r]]: nn.CrossEntropyLoss(reduction='none').
        __kernel void cross_entropy_rows(const int rows, const int cols,
                                         __global const float* logits, const int xo,
                                         __global const int* labels, const int lo,
                                         __global float* loss, const int yo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            __global const float* xr = logits + xo + r * cols;
            float max = xr[0];
            for (int c = 1; c < cols; c++)
                max = xr[c] > max ? xr[c] : max;
            float sum = 0.0f;
            for (int c = 0; c < cols; c++)
                sum += exp(xr[c] - max);
            loss[yo + r] = max + log(sum) - xr[labels[lo + r]];
        }
        """, LabelRowsLauncher);

    public static readonly LibraryKernel CrossEntropyGrad = new("cross_entropy_grad_rows", """
        // dx[r, :] = u·(softmax(logits[r, :]) - onehot(labels[r])), the gradient of cross_entropy_rows
        // in one pass over the row, as Rows.CrossEntropyBackward: exp(x - max)·(u / Σ exp(x - max)), then -u at the label.
        __kernel void cross_entropy_grad_rows(const int rows, const int cols,
                                              __global const float* logits, const int xo,
                                              __global const int* labels, const int lo,
                                              __global const float* weights, const int wo,
                                              const int perRow, const float weight,
                                              __global float* dx, const int yo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            __global const float* xr = logits + xo + r * cols;
            __global float* yr = dx + yo + r * cols;
            const float u = perRow ? weights[wo + r] : weight;
            float max = xr[0];
            for (int c = 1; c < cols; c++)
                max = xr[c] > max ? xr[c] : max;
            float sum = 0.0f;
            for (int c = 0; c < cols; c++)
                sum += exp(xr[c] - max);
            const float scale = u / sum;
            for (int c = 0; c < cols; c++)
                yr[c] = exp(xr[c] - max) * scale;
            yr[labels[lo + r]] -= u;
        }
        """, CrossEntropyGradLauncher);

    public static readonly LibraryKernel Accuracy = new("accuracy_rows", """
        // correct[r] = 1 when the first largest logit of row r is at labels[r], else 0 (a NaN counts as the largest).
        __kernel void accuracy_rows(const int rows, const int cols,
                                    __global const float* logits, const int xo,
                                    __global const int* labels, const int lo,
                                    __global float* correct, const int yo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            __global const float* xr = logits + xo + r * cols;
            int best = 0;
            for (int c = 1; c < cols && !isnan(xr[best]); c++)
                if (xr[c] > xr[best] || isnan(xr[c]))
                    best = c;
            correct[yo + r] = best == labels[lo + r] ? 1.0f : 0.0f;
        }
        """, LabelRowsLauncher);

    public static readonly LibraryKernel OneHot = new("one_hot_rows", """
        // y[r, :] = onehot(labels[r]): 1 at the label, 0 elsewhere.
        __kernel void one_hot_rows(const int rows, const int cols,
                                   __global const int* labels, const int lo,
                                   __global float* y, const int yo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            __global float* yr = y + yo + r * cols;
            const int label = labels[lo + r];
            for (int c = 0; c < cols; c++)
                yr[c] = c == label ? 1.0f : 0.0f;
        }
        """, OneHotLauncher);

    public static readonly LibraryKernel ExpandLast = new("expand_last_rows", """
        // y[r, :] = x[r]: expand_last, a per-position value repeated along its row.
        __kernel void expand_last_rows(const int rows, const int cols,
                                       __global const float* x, const int xo,
                                       __global float* y, const int yo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            const float v = x[xo + r];
            __global float* yr = y + yo + r * cols;
            for (int c = 0; c < cols; c++)
                yr[c] = v;
        }
        """, RowsLauncher);

    public static readonly LibraryKernel Tile = new("tile_rows", """
        // y[r, :] = x[:]: tile, a vector (a Dense bias) copied into every row of a sequence.
        __kernel void tile_rows(const int rows, const int cols,
                                __global const float* x, const int xo,
                                __global float* y, const int yo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            __global float* yr = y + yo + r * cols;
            for (int c = 0; c < cols; c++)
                yr[c] = x[xo + c];
        }
        """, RowsLauncher);

    public static readonly KernelLauncher ScatterLauncher = new("Scatter", $$"""
        /// <summary>Runs scatter_add_rows: table[ids[r], :] += x[r, :] over every row, one work-item per column (no two write one element).</summary>
        private static void Scatter({{Kernel}} kernel, int rows, int cols, int count, {{Buffer}} ids, int idsOffset, {{Buffer}} x, int xOffset, {{Buffer}} table, int tableOffset)
        {
            kernel.SetArg(0, rows);
            kernel.SetArg(1, cols);
            kernel.SetArg(2, count);
            kernel.SetArg(3, ids);
            kernel.SetArg(4, idsOffset);
            kernel.SetArg(5, x);
            kernel.SetArg(6, xOffset);
            kernel.SetArg(7, table);
            kernel.SetArg(8, tableOffset);
            kernel.Launch(RoundUp(cols, 64));
        }
        """);

    public static readonly LibraryKernel Gather = new("gather_rows", """
        // y[r, :] = table[ids[r], :]: an embedding's lookup (ids were checked on the host).
        __kernel void gather_rows(const int rows, const int cols,
                                  __global const float* table, const int to,
                                  __global const int* ids, const int io,
                                  __global float* y, const int yo)
        {
            const int r = get_global_id(0);
            if (r >= rows) return;
            __global const float* tr = table + to + ids[io + r] * cols;
            __global float* yr = y + yo + r * cols;
            for (int c = 0; c < cols; c++)
                yr[c] = tr[c];
        }
        """, LabelRowsLauncher);

    public static readonly LibraryKernel ScatterAdd = new("scatter_add_rows", """
        // table[c, :] = sum of x[r, :] over the rows r with ids[r] = c: an embedding's gradient.
        // Work-item j owns column j of the whole table, so the sums need no atomics and run in
        // the CPU's order (row by row).
        __kernel void scatter_add_rows(const int rows, const int cols, const int count,
                                       __global const int* ids, const int io,
                                       __global const float* x, const int xo,
                                       __global float* table, const int to)
        {
            const int j = get_global_id(0);
            if (j >= cols) return;
            for (int c = 0; c < count; c++)
                table[to + c * cols + j] = 0.0f;
            for (int r = 0; r < rows; r++)
                table[to + ids[io + r] * cols + j] += x[xo + r * cols + j];
        }
        """, ScatterLauncher);
}
