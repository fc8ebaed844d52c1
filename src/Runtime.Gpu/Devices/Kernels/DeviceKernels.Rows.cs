namespace Dsl;

public abstract partial class DeviceKernels
{
    /// <summary>y[r, :] = softmax(x[r, :]) over a [rows, cols] matrix (<c>Rows.Softmax</c>).</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The row length.</param>
    /// <param name="x">The input, rows·cols floats.</param>
    /// <param name="y">The output, rows·cols floats.</param>
    public void Softmax(int rows, int cols, DeviceSlice x, DeviceSlice y)
    {
        CheckMatrices(rows, cols, x, y);
        SoftmaxCore(rows, cols, x, y);
    }

    /// <summary>y[r, :] = x[r, :] − logsumexp(x[r, :]) (<c>Rows.LogSoftmax</c>).</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The row length.</param>
    /// <param name="x">The input, rows·cols floats.</param>
    /// <param name="y">The output, rows·cols floats.</param>
    public void LogSoftmax(int rows, int cols, DeviceSlice x, DeviceSlice y)
    {
        CheckMatrices(rows, cols, x, y);
        LogSoftmaxCore(rows, cols, x, y);
    }

    /// <summary>
    /// y[r, :i+1] = softmax(x[r, :i+1]), y[r, i+1:] = 0 for i = r mod cols: attention weights under a
    /// causal mask (<c>Rows.CausalSoftmax</c>).
    /// </summary>
    /// <param name="rows">The number of rows (examples · heads · positions).</param>
    /// <param name="cols">The sequence length.</param>
    /// <param name="x">The scores, rows·cols floats.</param>
    /// <param name="y">The weights, rows·cols floats.</param>
    public void CausalSoftmax(int rows, int cols, DeviceSlice x, DeviceSlice y)
    {
        CheckMatrices(rows, cols, x, y);
        CausalSoftmaxCore(rows, cols, x, y);
    }

    /// <summary>y[r] = Σ_c x[r, c] (<c>Rows.Sum</c>).</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The row length.</param>
    /// <param name="x">The input, rows·cols floats.</param>
    /// <param name="y">The sums, rows floats.</param>
    public void SumRows(int rows, int cols, DeviceSlice x, DeviceSlice y)
    {
        CheckMatrix(rows, cols, x, nameof(x));
        CheckFloats(y, rows, nameof(y));
        SumRowsCore(rows, cols, x, y);
    }

    /// <summary>y[c] = Σ_r x[r, c]: a parameter's gradient summed over the batch (<c>Rows.ColumnSum</c>).</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The row length.</param>
    /// <param name="x">The input, rows·cols floats.</param>
    /// <param name="y">The sums, cols floats.</param>
    public void SumColumns(int rows, int cols, DeviceSlice x, DeviceSlice y)
    {
        CheckMatrix(rows, cols, x, nameof(x));
        CheckFloats(y, cols, nameof(y));
        SumColumnsCore(rows, cols, x, y);
    }

    /// <summary>y[r, :] = x[r]: a per-row value repeated along its row (<c>Sequences.ExpandLast</c>).</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The row length.</param>
    /// <param name="x">The values, rows floats.</param>
    /// <param name="y">The output, rows·cols floats.</param>
    public void ExpandLast(int rows, int cols, DeviceSlice x, DeviceSlice y)
    {
        CheckSize(rows, nameof(rows));
        CheckSize(cols, nameof(cols));
        CheckFloats(x, rows, nameof(x));
        CheckFloats(y, (long)rows * cols, nameof(y));
        ExpandLastCore(rows, cols, x, y);
    }

    /// <summary>y[r, :] = x[:]: a vector copied into every row (<c>Sequences.Tile</c>).</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The row length.</param>
    /// <param name="x">The vector, cols floats.</param>
    /// <param name="y">The output, rows·cols floats.</param>
    public void Tile(int rows, int cols, DeviceSlice x, DeviceSlice y)
    {
        CheckSize(rows, nameof(rows));
        CheckSize(cols, nameof(cols));
        CheckFloats(x, cols, nameof(x));
        CheckFloats(y, (long)rows * cols, nameof(y));
        TileCore(rows, cols, x, y);
    }

    /// <summary>loss[r] = logsumexp(logits[r, :]) − logits[r, labels[r]] (<c>Rows.CrossEntropy</c>).</summary>
    /// <param name="rows">The number of examples.</param>
    /// <param name="cols">The number of classes.</param>
    /// <param name="logits">The scores, rows·cols floats.</param>
    /// <param name="labels">The classes, rows ints in [0, cols).</param>
    /// <param name="loss">The losses, rows floats.</param>
    public void CrossEntropy(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice loss)
    {
        CheckMatrix(rows, cols, logits, nameof(logits));
        CheckInts(labels, rows, nameof(labels));
        CheckFloats(loss, rows, nameof(loss));
        CrossEntropyCore(rows, cols, logits, labels, loss);
    }

    /// <summary>
    /// dx[r, :] = weight·(softmax(logits[r, :]) − onehot(labels[r])): the gradient of
    /// <see cref="CrossEntropy"/> when every example's loss has the same weight (1/B for a batch mean).
    /// </summary>
    /// <param name="rows">The number of examples.</param>
    /// <param name="cols">The number of classes.</param>
    /// <param name="logits">The scores, rows·cols floats.</param>
    /// <param name="labels">The classes, rows ints.</param>
    /// <param name="weight">The gradient of the objective with respect to every example's loss.</param>
    /// <param name="dx">The gradient, rows·cols floats (overwritten).</param>
    public void CrossEntropyBackward(int rows, int cols, DeviceSlice logits, DeviceSlice labels, float weight, DeviceSlice dx)
    {
        CheckMatrix(rows, cols, logits, nameof(logits));
        CheckInts(labels, rows, nameof(labels));
        CheckFloats(dx, (long)rows * cols, nameof(dx));
        CrossEntropyBackwardCore(rows, cols, logits, labels, weight, dx);
    }

    /// <summary>As the other overload, with each example's own weight, weights[r].</summary>
    /// <param name="rows">The number of examples.</param>
    /// <param name="cols">The number of classes.</param>
    /// <param name="logits">The scores, rows·cols floats.</param>
    /// <param name="labels">The classes, rows ints.</param>
    /// <param name="weights">The gradient with respect to each example's loss, rows floats.</param>
    /// <param name="dx">The gradient, rows·cols floats (overwritten).</param>
    public void CrossEntropyBackward(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice weights, DeviceSlice dx)
    {
        CheckMatrix(rows, cols, logits, nameof(logits));
        CheckInts(labels, rows, nameof(labels));
        CheckFloats(weights, rows, nameof(weights));
        CheckFloats(dx, (long)rows * cols, nameof(dx));
        CrossEntropyBackwardCore(rows, cols, logits, labels, weights, dx);
    }

    /// <summary>correct[r] = 1 when the first largest logit of row r is at labels[r], else 0 (<c>Rows.Accuracy</c>).</summary>
    /// <param name="rows">The number of examples.</param>
    /// <param name="cols">The number of classes.</param>
    /// <param name="logits">The scores, rows·cols floats.</param>
    /// <param name="labels">The classes, rows ints.</param>
    /// <param name="correct">1 or 0 per example, rows floats.</param>
    public void Accuracy(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice correct)
    {
        CheckMatrix(rows, cols, logits, nameof(logits));
        CheckInts(labels, rows, nameof(labels));
        CheckFloats(correct, rows, nameof(correct));
        AccuracyCore(rows, cols, logits, labels, correct);
    }

    /// <summary>y[r, :] = onehot(labels[r]) (<c>Rows.OneHot</c>).</summary>
    /// <param name="rows">The number of examples.</param>
    /// <param name="cols">The number of classes.</param>
    /// <param name="labels">The classes, rows ints.</param>
    /// <param name="y">The rows, rows·cols floats.</param>
    public void OneHot(int rows, int cols, DeviceSlice labels, DeviceSlice y)
    {
        CheckSize(rows, nameof(rows));
        CheckSize(cols, nameof(cols));
        CheckInts(labels, rows, nameof(labels));
        CheckFloats(y, (long)rows * cols, nameof(y));
        OneHotCore(rows, cols, labels, y);
    }

    /// <summary>index[r] = the column of the first largest value of row r, as a float; a NaN counts as the largest (<c>Rows.ArgMax</c>).</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The row length.</param>
    /// <param name="x">The rows, rows·cols floats.</param>
    /// <param name="index">The indices, rows floats.</param>
    public void ArgMax(int rows, int cols, DeviceSlice x, DeviceSlice index)
    {
        CheckMatrix(rows, cols, x, nameof(x));
        CheckFloats(index, rows, nameof(index));
        ArgMaxCore(rows, cols, x, index);
    }

    /// <summary>y[r, :] = 1 at the first largest value of row r, 0 elsewhere (<c>Rows.ArgMaxMask</c>).</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="cols">The row length.</param>
    /// <param name="x">The rows, rows·cols floats.</param>
    /// <param name="y">The masks, rows·cols floats.</param>
    public void ArgMaxMask(int rows, int cols, DeviceSlice x, DeviceSlice y)
    {
        CheckMatrices(rows, cols, x, y);
        ArgMaxMaskCore(rows, cols, x, y);
    }

    /// <summary>y[r, j] = x[r, index[r, j]], NaN where the index is outside [0, n) (<c>Rows.GatherLast</c>).</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="n">The length of x's rows.</param>
    /// <param name="k">The number of indices per row.</param>
    /// <param name="x">The rows, rows·n floats.</param>
    /// <param name="index">The indices, rows·k floats.</param>
    /// <param name="y">The values, rows·k floats.</param>
    public void GatherLast(int rows, int n, int k, DeviceSlice x, DeviceSlice index, DeviceSlice y)
    {
        CheckMatrix(rows, n, x, nameof(x));
        CheckMatrix(rows, k, index, nameof(index));
        CheckMatrix(rows, k, y, nameof(y));
        GatherLastCore(rows, n, k, x, index, y);
    }

    /// <summary>y[r, c] = Σ g[r, j] over the j with index[r, j] = c (<c>Rows.ScatterLast</c>).</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="n">The length of y's rows.</param>
    /// <param name="k">The number of indices per row.</param>
    /// <param name="index">The indices, rows·k floats.</param>
    /// <param name="g">The values to add, rows·k floats.</param>
    /// <param name="y">The sums, rows·n floats.</param>
    public void ScatterLast(int rows, int n, int k, DeviceSlice index, DeviceSlice g, DeviceSlice y)
    {
        CheckMatrix(rows, k, index, nameof(index));
        CheckMatrix(rows, k, g, nameof(g));
        CheckMatrix(rows, n, y, nameof(y));
        ScatterLastCore(rows, n, k, index, g, y);
    }

    /// <summary>Computes <see cref="GatherLast"/> on validated operands.</summary>
    protected abstract void GatherLastCore(int rows, int n, int k, DeviceSlice x, DeviceSlice index, DeviceSlice y);

    /// <summary>Computes <see cref="ScatterLast"/> on validated operands.</summary>
    protected abstract void ScatterLastCore(int rows, int n, int k, DeviceSlice index, DeviceSlice g, DeviceSlice y);

    /// <summary>Computes <see cref="ArgMax"/> on validated operands.</summary>
    protected abstract void ArgMaxCore(int rows, int cols, DeviceSlice x, DeviceSlice index);

    /// <summary>Computes <see cref="ArgMaxMask"/> on validated operands.</summary>
    protected abstract void ArgMaxMaskCore(int rows, int cols, DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="Softmax"/> on validated operands.</summary>
    protected abstract void SoftmaxCore(int rows, int cols, DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="LogSoftmax"/> on validated operands.</summary>
    protected abstract void LogSoftmaxCore(int rows, int cols, DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="CausalSoftmax"/> on validated operands.</summary>
    protected abstract void CausalSoftmaxCore(int rows, int cols, DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="SumRows"/> on validated operands.</summary>
    protected abstract void SumRowsCore(int rows, int cols, DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="SumColumns"/> on validated operands.</summary>
    protected abstract void SumColumnsCore(int rows, int cols, DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="ExpandLast"/> on validated operands.</summary>
    protected abstract void ExpandLastCore(int rows, int cols, DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="Tile"/> on validated operands.</summary>
    protected abstract void TileCore(int rows, int cols, DeviceSlice x, DeviceSlice y);

    /// <summary>Computes <see cref="CrossEntropy"/> on validated operands.</summary>
    protected abstract void CrossEntropyCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice loss);

    /// <summary>Computes <see cref="CrossEntropyBackward(int, int, DeviceSlice, DeviceSlice, float, DeviceSlice)"/> on validated operands.</summary>
    protected abstract void CrossEntropyBackwardCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, float weight, DeviceSlice dx);

    /// <summary>Computes <see cref="CrossEntropyBackward(int, int, DeviceSlice, DeviceSlice, DeviceSlice, DeviceSlice)"/> on validated operands.</summary>
    protected abstract void CrossEntropyBackwardCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice weights, DeviceSlice dx);

    /// <summary>Computes <see cref="Accuracy"/> on validated operands.</summary>
    protected abstract void AccuracyCore(int rows, int cols, DeviceSlice logits, DeviceSlice labels, DeviceSlice correct);

    /// <summary>Computes <see cref="OneHot"/> on validated operands.</summary>
    protected abstract void OneHotCore(int rows, int cols, DeviceSlice labels, DeviceSlice y);

    private void CheckMatrix(int rows, int cols, DeviceSlice x, string name)
    {
        CheckSize(rows, nameof(rows));
        CheckSize(cols, nameof(cols));
        CheckFloats(x, (long)rows * cols, name);
    }

    private void CheckMatrices(int rows, int cols, DeviceSlice x, DeviceSlice y)
    {
        CheckMatrix(rows, cols, x, nameof(x));
        CheckFloats(y, (long)rows * cols, nameof(y));
    }
}
