using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit.CSharp;

/// <summary>
/// How every backend's host code lays out an entry point's steps: a "Forward" heading, a
/// "Backward" heading where the derivative starts, each step preceded by the IR it computes and
/// mapped to the user's line with <c>#line</c>. The backends differ only in the statement a step becomes.
/// </summary>
internal static class StepComments
{
    /// <summary>Writes the steps of <paramref name="entry"/> in plan order, with their headings; <paramref name="writeStep"/> writes each.</summary>
    public static void WriteSteps(SourceWriter w, CompiledEntry entry, Action<PlanStep> writeStep)
    {
        Graph graph = entry.Graph;
        bool backward = false;
        int seed = graph.Nodes.FirstOrDefault(n => n.Op == OpKind.LossSeed)?.Id ?? int.MaxValue;
        w.Line("// Forward");
        foreach (PlanStep step in entry.Plan.Steps)
        {
            int defined = step switch { ElementwiseStep e => e.Root, CallStep c => c.Node, CopyStep c => c.Node, _ => -1 };
            // Reverse mode starts by making the loss seed, so every node after it (graphs keep
            // creation order) was made by a derivative rule.
            if (!backward && defined > seed)
            {
                backward = true;
                w.Line();
                w.Line("// Backward - the gradient of the batch-mean loss, derived at compile time");
            }
            writeStep(step);
        }
    }

    /// <summary>
    /// Writes a step's statement under a <c>#line</c> directive naming the user's line, so a debugger
    /// stepping through a compiled step lands on the model code the step came from.
    /// </summary>
    public static void WriteMapped(SourceWriter w, Node node, string statement)
    {
        if (node.Source is not { } source)
        {
            w.Line(statement);
            return;
        }
        w.LineDirective(source.Line, FileLiteral(source.FilePath));
        w.Line(statement);
        w.Directive("#line default");
    }

    /// <summary>The C# literal of a model file's path; the last one is kept, as a model's steps mostly come from one file.</summary>
    private static string FileLiteral(string path)
    {
        PathLiteral? last = s_lastPath;
        if (last is null || last.Path != path)
            s_lastPath = last = new PathLiteral(path, Literals.String(path));
        return last.Literal;
    }

    // Immutable, so that threads compiling models at once may replace it under each other.
    private static PathLiteral? s_lastPath;

    private sealed record PathLiteral(string Path, string Literal);

    /// <summary>"%5 = linear(%1, %0) : f32[B, 16]  (Classifier.cs:14)".</summary>
    public static string Describe(Node node) => t_descriptions is { } cache ? cache.Of(node) : Format(node);

    /// <summary>
    /// Describes each node once until the returned scope is disposed: a model's compile opens one
    /// around its emitters. Outside a scope (an emitter's test) every call formats anew.
    /// </summary>
    public static IDisposable DescribeOncePerNode()
    {
        if (t_descriptions is not null)
            return NoScope.Instance; // an outer scope already caches, and clears when it ends
        t_descriptions = new Descriptions();
        return DescriptionScope.Instance;
    }

    private static string Format(Node n) => IrPrinter.Format(n) + (n.Source is { } source ? "  (" + source.Describe() + ")" : "");

    // A node is described by the CPU and device programs' step comments, its loop's and kernel's
    // comments, and again by the training step in parts (which shares the training step's graph):
    // formatted once per node object within a compile (issue 21). Per thread, since the driver
    // may compile models on several threads, and dropped when the compile ends, so that no node
    // outlives it. (A ConditionalWeakTable did the same at the cost of a lock and a GC handle
    // per node, a tenth of an edit's emission time.)
    [ThreadStatic]
    private static Descriptions? t_descriptions;

    /// <summary>
    /// The descriptions of a compile's nodes, by node id: each id's nodes (one per graph that does
    /// not share it: Forward's, TrainingStep's, ValidationStep's) in a short chain, told apart by
    /// identity. Found without hashing nodes, records whose hash walks their fields.
    /// </summary>
    private sealed class Descriptions
    {
        private readonly List<Described?> _byId = new();

        public string Of(Node node)
        {
            while (_byId.Count <= node.Id)
                _byId.Add(null);
            for (Described? d = _byId[node.Id]; d is not null; d = d.Next)
            {
                if (ReferenceEquals(d.Node, node))
                    return d.Text;
            }
            var described = new Described(node, Format(node), _byId[node.Id]);
            _byId[node.Id] = described;
            return described.Text;
        }

        private sealed record Described(Node Node, string Text, Described? Next);
    }

    private sealed class DescriptionScope : IDisposable
    {
        public static readonly DescriptionScope Instance = new();

        public void Dispose() => t_descriptions = null;
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }
}
