using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace Dsl.Training.Progress;

/// <summary>
/// The trainer's console progress display, in the manner of tqdm and Lightning's TQDMProgressBar,
/// without a dependency (users embed the runtime in their own applications).
/// </summary>
/// <remarks>
/// <para>Interactive (a terminal): one line per stage, redrawn in place with <c>'\r'</c> at most
/// ten times a second, padded with spaces to erase a longer previous line (so no ANSI codes are
/// needed) and kept shorter than the terminal so that it never wraps; <see cref="EndStage"/> leaves
/// it on screen.</para>
/// <para>Plain (output redirected, CI logs): no <c>'\r'</c> and no escape codes; one line when a
/// stage ends, plus at most one intermediate line per plain interval in long stages.</para>
/// <para>An <see cref="Update"/> that is throttled away allocates nothing; a drawn one formats
/// into reused buffers. Not thread-safe: one training loop owns it.</para>
/// </remarks>
internal sealed class ProgressRenderer : IDisposable
{
    /// <summary>About ten redraws a second: smooth to the eye, negligible next to a training step.</summary>
    public static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The width assumed when the terminal's cannot be read.</summary>
    public const int FallbackWidth = 100;

    private static readonly KeyValuePair<string, double>[] NoMetrics = [];

    private readonly TextWriter _output;
    private readonly Func<TimeSpan> _clock;
    private readonly TimeSpan _plainInterval;
    private readonly int? _fixedWidth;
    private readonly bool _unicode;
    private readonly LineBuffer _line = new();
    private readonly LineBuffer _scratch = new();

    private string _description = "";
    private int? _total;
    private bool _active;
    private bool _disposed;
    private TimeSpan _stageStart;
    private TimeSpan _lastDraw;
    private TimeSpan _lastPlain;
    private int _completed;
    private IReadOnlyList<KeyValuePair<string, double>> _metrics = NoMetrics;
    private int _width;
    private int _drawnLength; // characters of the bar line now on screen; 0 when none is

    /// <summary>Creates a renderer writing to <paramref name="output"/>.</summary>
    /// <param name="output">Where the lines go; not disposed by the renderer.</param>
    /// <param name="interactive">True to redraw one line in place; false for plain lines (logs).</param>
    /// <param name="clock">The time since an arbitrary origin; a monotonic stopwatch when null.</param>
    /// <param name="plainInterval">The least time between intermediate plain lines; 10 s when null.</param>
    /// <param name="width">The terminal width; when null, <see cref="Console.WindowWidth"/> read at each stage start (interactive only).</param>
    /// <param name="unicode">True for block-character bars, false for <c>#</c>; when null, whether <see cref="Console.OutputEncoding"/> is UTF-8.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="plainInterval"/> is not positive, or <paramref name="width"/> is below 2.</exception>
    public ProgressRenderer(
        TextWriter output,
        bool interactive,
        Func<TimeSpan>? clock = null,
        TimeSpan? plainInterval = null,
        int? width = null,
        bool? unicode = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (plainInterval is TimeSpan interval && interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(plainInterval), interval, "The plain-line interval must be positive.");
        if (width is int w && w < 2)
            throw new ArgumentOutOfRangeException(nameof(width), w, "The width must be at least 2 columns.");
        _output = output;
        IsInteractive = interactive;
        _clock = clock ?? StopwatchClock();
        _plainInterval = plainInterval ?? TimeSpan.FromSeconds(10);
        _fixedWidth = width;
        _unicode = unicode ?? ConsoleIsUtf8();
    }

    /// <summary>Whether lines are redrawn in place (a terminal) rather than printed whole (a log).</summary>
    public bool IsInteractive { get; }

    /// <summary>
    /// A renderer on <see cref="Console.Out"/>: interactive unless output is redirected or
    /// <c>TERM</c> is <c>dumb</c> (terminals that cannot return the cursor, e.g. Emacs shells).
    /// </summary>
    public static ProgressRenderer ForConsole()
    {
        bool interactive = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";
        return new ProgressRenderer(Console.Out, interactive);
    }

    /// <summary>Starts a stage; interactively, draws its line at once. A stage still open is ended first, its line kept.</summary>
    /// <param name="description">What the stage is, e.g. <c>Epoch 3/20</c> or <c>Validation</c>.</param>
    /// <param name="total">The number of steps, or null when unknown (no bar, percentage or time left).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="total"/> is negative.</exception>
    public void StartStage(string description, int? total)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(description);
        if (total < 0)
            throw new ArgumentOutOfRangeException(nameof(total), total, $"Stage '{description}' has a negative step count.");
        if (_drawnLength > 0)
            _output.WriteLine();

        _description = description;
        _total = total;
        _completed = 0;
        _metrics = NoMetrics;
        _active = true;
        _drawnLength = 0;
        _stageStart = _clock();
        _lastPlain = _stageStart;
        if (IsInteractive)
        {
            _width = _fixedWidth ?? ConsoleWidth();
            Draw(_stageStart);
        }
    }

    /// <summary>
    /// Records progress. Interactively, redraws when at least <see cref="RedrawInterval"/> has
    /// passed since the last draw, and always when the stage is complete; plainly, prints an
    /// intermediate line once per plain interval. Otherwise returns without allocating.
    /// </summary>
    /// <param name="completed">Steps done in this stage.</param>
    /// <param name="metrics">The values to show; the list is read now and again on a later redraw, not copied.</param>
    /// <exception cref="InvalidOperationException">No stage is open.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="completed"/> is negative.</exception>
    public void Update(int completed, IReadOnlyList<KeyValuePair<string, double>> metrics)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentOutOfRangeException.ThrowIfNegative(completed);
        ThrowIfNoStage(nameof(Update));
        _completed = completed;
        _metrics = metrics;
        TimeSpan now = _clock();
        if (IsInteractive)
        {
            if (now - _lastDraw >= RedrawInterval || completed == _total)
                Draw(now);
        }
        else if (now - _lastPlain >= _plainInterval && completed != _total)
        {
            // The finished line comes from EndStage; an intermediate one saying the same would be noise.
            _lastPlain = now;
            ProgressLine.ComposePlain(_line, Snapshot(now), withRemaining: true);
            WriteLineBuffer();
        }
    }

    /// <summary>Ends the stage with its final line, which stays on screen (or in the log).</summary>
    /// <param name="metrics">The values to show, e.g. the epoch's training and validation losses.</param>
    /// <exception cref="InvalidOperationException">No stage is open.</exception>
    public void EndStage(IReadOnlyList<KeyValuePair<string, double>> metrics)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(metrics);
        ThrowIfNoStage(nameof(EndStage));
        _metrics = metrics;
        TimeSpan now = _clock();
        if (IsInteractive)
        {
            Draw(now);
            _output.WriteLine();
        }
        else
        {
            ProgressLine.ComposePlain(_line, Snapshot(now), withRemaining: false);
            WriteLineBuffer();
        }

        _active = false;
        _drawnLength = 0;
        _metrics = NoMetrics;
        _output.Flush();
    }

    /// <summary>
    /// Prints a message above the bar: interactively the bar line is blanked, the message written
    /// on it, and the bar redrawn below; plainly the message is just a line of its own.
    /// </summary>
    /// <param name="message">The text; may span lines.</param>
    public void WriteLine(string message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(message);
        if (_drawnLength > 0)
        {
            _line.Clear();
            _line.Append('\r');
            _line.Append(' ', _drawnLength);
            _line.Append('\r');
            _line.WriteTo(_output);
            _drawnLength = 0;
        }

        _output.WriteLine(message);
        if (IsInteractive && _active)
            Draw(_clock());
        else
            _output.Flush();
    }

    /// <summary>Ends an interactive line left open, so that what follows starts on a new line; flushes the output.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_drawnLength > 0)
            _output.WriteLine();
        _output.Flush();
    }

    private void Draw(TimeSpan now)
    {
        _lastDraw = now;
        int previous = _drawnLength;
        // One column short of the width: writing the last column makes some terminals wrap, and '\r' would then return to the wrong row.
        ProgressLine.ComposeInteractive(_line, _scratch, Snapshot(now), _width - 1, _unicode);
        _drawnLength = Math.Max(1, _line.Length);
        _line.Append(' ', previous - _line.Length); // blank what is left of a longer previous line
        _output.Write('\r');
        _line.WriteTo(_output);
        _output.Flush();
    }

    private void WriteLineBuffer()
    {
        _line.WriteTo(_output);
        _output.WriteLine();
        _output.Flush();
    }

    private ProgressSnapshot Snapshot(TimeSpan now) =>
        new(_description, _completed, _total, now - _stageStart, _metrics);

    private void ThrowIfNoStage(string caller)
    {
        if (!_active)
            throw new InvalidOperationException($"ProgressRenderer.{caller} was called with no stage started; call StartStage first.");
    }

    private static Func<TimeSpan> StopwatchClock()
    {
        long origin = Stopwatch.GetTimestamp();
        return () => Stopwatch.GetElapsedTime(origin);
    }

    private static int ConsoleWidth()
    {
        try
        {
            int width = Console.WindowWidth;
            return width >= 2 ? width : FallbackWidth;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return FallbackWidth;
        }
    }

    private static bool ConsoleIsUtf8()
    {
        try
        {
            return Console.OutputEncoding.CodePage == Encoding.UTF8.CodePage;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException)
        {
            return false;
        }
    }
}
