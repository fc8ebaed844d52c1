namespace Dsl;

/// <summary>Whether a monitored metric improves by going down (a loss) or up (an accuracy).</summary>
public enum MonitorMode
{
    /// <summary>Lower is better.</summary>
    Min,

    /// <summary>Higher is better.</summary>
    Max,
}
