using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Generator.Parsing;

/// <summary>
/// The last parse of each [Model] or [Module] declaration, reused while nothing it could depend
/// on changed. Roslyn's <c>ForAttributeWithMetadataName</c> calls the parse again for every
/// marked declaration on every compilation change, unchanged files included (the result is then
/// compared and found equal), so without this an edit anywhere re-binds every model's bodies.
/// </summary>
/// <remarks>
/// A parse is reused for a new compilation when the references and options are the same objects,
/// the files are the same but for edited ones, every region the parse read (<see cref="TreesRead"/>:
/// the top-level types whose syntax it took or bound, its own declaration's among them) reads the
/// same in an edited file (<see cref="RegionDiff"/>: same tokens at the same lines and columns),
/// and no name an edit re-declared (<see cref="DeclarationDiff"/>) is spelled in a file the parse
/// read, or is one C# binds without spelling it (foreach's <c>GetEnumerator</c>, ...). So a
/// [Module] declared above the [Model] that holds it is not parsed again when only the model's
/// body changed, and neither is parsed again when a comment between them is reworded (issue 21).
/// Entries are found by file and place of the declaration (its index among its parent's members),
/// since an edited file is a new tree; one entry per place, one cache per generator instance.
/// </remarks>
internal sealed class ParseCache<T> where T : class
{
    /// <summary>Members C# finds by name without the code spelling the name.</summary>
    private static readonly HashSet<string> s_namesBoundUnspelled = new()
    {
        "GetEnumerator", "GetAsyncEnumerator", "MoveNext", "MoveNextAsync", "Current", "Dispose", "DisposeAsync",
        "GetAwaiter", "GetResult", "IsCompleted", "OnCompleted", "Deconstruct", "Add", "Length", "Count", "Slice",
        "Item", "GetPinnableReference", "Invoke", "Create", "Equals", "GetHashCode", "ToString",
    };

    /// <summary>The identifiers each read file spells, found once per file version.</summary>
    private static readonly ConditionalWeakTable<SyntaxTree, HashSet<string>> s_identifiers = new();

    private readonly Dictionary<string, Entry> _entries = new();
    private readonly ConditionalWeakTable<Compilation, Snapshot> _snapshots = new();

    /// <summary>The cached parse of <paramref name="context"/>'s declaration if it still holds, else <paramref name="parse"/>'s.</summary>
    public T Get(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken, Func<GeneratorAttributeSyntaxContext, CancellationToken, T> parse) =>
        Get(context.TargetNode, context.TargetSymbol, context.SemanticModel.Compilation, () => parse(context, cancellationToken), cancellationToken);

    /// <summary>The cached parse of <paramref name="declaration"/> (declaring <paramref name="symbol"/> in <paramref name="compilation"/>) if it still holds, else <paramref name="parse"/>'s.</summary>
    public T Get(SyntaxNode declaration, ISymbol symbol, Compilation compilation, Func<T> parse, CancellationToken cancellationToken)
    {
        Snapshot snapshot = _snapshots.GetValue(compilation, c => new Snapshot(c));
        string key = declaration.SyntaxTree.FilePath + "#" + RegionDiff.Key(declaration);
        Entry? entry;
        lock (_entries)
            _entries.TryGetValue(key, out entry);
        if (entry is not null && Holds(entry, snapshot, declaration, cancellationToken) is { } regions)
        {
            Store(key, new Entry(declaration, entry.Result, snapshot, regions));
            TreesRead.Note(regions); // a parse taking this result read what it read
            return entry.Result;
        }
        (T result, HashSet<SyntaxNode> read) = TreesRead.During(parse);
        read.Add(TreesRead.Region(declaration));
        foreach (SyntaxReference part in symbol.DeclaringSyntaxReferences)
            read.Add(TreesRead.Region(part.GetSyntax(cancellationToken)));
        Store(key, new Entry(declaration, result, snapshot, read));
        TreesRead.Note(read);
        return result;
    }

    private void Store(string key, Entry entry)
    {
        lock (_entries)
            _entries[key] = entry;
    }

    /// <summary>The regions <paramref name="entry"/>'s parse read, as they are in <paramref name="now"/>, if its parse still holds for <paramref name="declaration"/> there; else null.</summary>
    private static HashSet<SyntaxNode>? Holds(Entry entry, Snapshot now, SyntaxNode declaration, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(entry.Snapshot, now) && ReferenceEquals(entry.Declaration, declaration))
            return entry.Regions;
        try
        {
            if (now.ChangesSince(entry.Snapshot, cancellationToken) is not { } edits)
                return null;
            HashSet<SyntaxNode>? regions = null;
            foreach ((SyntaxTree before, SyntaxTree after, HashSet<string> names) in edits)
            {
                if (names.Overlaps(s_namesBoundUnspelled))
                    return null;
                if (names.Count > 0 && entry.Trees.Any(tree => names.Overlaps(Identifiers(tree, cancellationToken))))
                    return null;
                if (!entry.Trees.Contains(before))
                    continue;
                regions ??= new HashSet<SyntaxNode>(entry.Regions);
                foreach (SyntaxNode region in entry.Regions)
                {
                    if (region.SyntaxTree != before)
                        continue;
                    if (RegionDiff.Unchanged(region, after) is not { } counterpart)
                        return null;
                    regions.Remove(region);
                    regions.Add(counterpart);
                }
            }
            regions ??= entry.Regions;
            // The declaration asked about must be the one parsed (a file edited elsewhere keeps it the same node).
            return regions.Contains(TreesRead.Region(declaration)) ? regions : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null; // parse again: always right, only slower
        }
    }

    private static HashSet<string> Identifiers(SyntaxTree tree, CancellationToken cancellationToken) =>
        s_identifiers.GetValue(tree, t => new HashSet<string>(t.GetRoot(cancellationToken).DescendantTokens()
            .Where(token => token.IsKind(SyntaxKind.IdentifierToken)).Select(token => token.ValueText)));

    /// <summary>A parse of <paramref name="Declaration"/> in the compilation of <paramref name="Snapshot"/>, and the regions it read there.</summary>
    private sealed record Entry(SyntaxNode Declaration, T Result, Snapshot Snapshot, HashSet<SyntaxNode> Regions)
    {
        /// <summary>The files the regions are in.</summary>
        public HashSet<SyntaxTree> Trees { get; } = new(Regions.Select(region => region.SyntaxTree));
    }

    /// <summary>The edited files between two snapshots (see <see cref="Snapshot.ChangesSince"/>).</summary>
    private sealed record Edits(List<(SyntaxTree Before, SyntaxTree After, HashSet<string> Names)>? Files);

    /// <summary>What of a compilation a parse depends on besides its files' text: its files, references and options.</summary>
    private sealed class Snapshot
    {
        private readonly SyntaxTree[] _trees;
        private readonly MetadataReference[] _references;
        private readonly CompilationOptions _options;
        private readonly ConditionalWeakTable<Snapshot, Edits> _changes = new();

        public Snapshot(Compilation compilation)
        {
            _trees = compilation.SyntaxTrees.ToArray();
            _references = compilation.References.ToArray();
            _options = compilation.Options;
        }

        /// <summary>
        /// The files edited since <paramref name="earlier"/>, each as it was and as it is, with the names its
        /// edit re-declared; null if files were added, removed or renamed, the references or options
        /// changed, or an edit's names cannot be told.
        /// </summary>
        public List<(SyntaxTree Before, SyntaxTree After, HashSet<string> Names)>? ChangesSince(Snapshot earlier, CancellationToken cancellationToken)
        {
            lock (_changes)
            {
                if (!_changes.TryGetValue(earlier, out Edits? edits))
                    _changes.Add(earlier, edits = new Edits(Compare(earlier, cancellationToken)));
                return edits.Files;
            }
        }

        private List<(SyntaxTree Before, SyntaxTree After, HashSet<string> Names)>? Compare(Snapshot earlier, CancellationToken cancellationToken)
        {
            if (!ReferenceEquals(_options, earlier._options) || _trees.Length != earlier._trees.Length
                || !_references.SequenceEqual(earlier._references, ReferenceComparer.Instance))
                return null;
            var changes = new List<(SyntaxTree Before, SyntaxTree After, HashSet<string> Names)>();
            for (int i = 0; i < _trees.Length; i++)
            {
                SyntaxTree before = earlier._trees[i], after = _trees[i];
                if (ReferenceEquals(before, after))
                    continue;
                cancellationToken.ThrowIfCancellationRequested();
                if (before.FilePath != after.FilePath || !before.Options.Equals(after.Options) || DeclarationDiff.ChangedNames(before, after) is not { } names)
                    return null;
                changes.Add((before, after, names));
            }
            return changes;
        }
    }

    private sealed class ReferenceComparer : IEqualityComparer<object>
    {
        public static readonly ReferenceComparer Instance = new();
        public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);
        public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
