namespace Dsl;

/// <summary>The element type of a dataset column.</summary>
public enum ColumnType
{
    /// <summary>32-bit floats: features, pixels, regression targets.</summary>
    Float32,

    /// <summary>32-bit integers: class labels, token ids.</summary>
    Int32,
}
