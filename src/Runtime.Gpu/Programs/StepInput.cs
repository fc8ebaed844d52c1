namespace Dsl;

/// <summary>One input of a compiled entry point.</summary>
/// <param name="Name">The parameter's name in the user's method.</param>
/// <param name="Type">Float features or integer labels.</param>
/// <param name="ExampleShape">The shape of one example (<c>[]</c> for a label).</param>
/// <param name="Classes">For labels, the number of classes they index; otherwise 0.</param>
public sealed record StepInput(string Name, ColumnType Type, int[] ExampleShape, int Classes = 0)
{
    /// <summary>Values per example.</summary>
    public int ExampleSize => Shapes.Size(ExampleShape);

    /// <summary>"x [10] Float32" or "y labels of 10 classes".</summary>
    public override string ToString() =>
        Classes > 0 ? $"{Name}: labels of {Classes} classes" : $"{Name}: {Type} [{string.Join(", ", ExampleShape)}]";
}
