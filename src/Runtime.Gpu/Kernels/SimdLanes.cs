using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dsl.Kernels;

/// <summary>
/// A float vector of some width, so an element-wise formula can be written once and run as
/// <see cref="Lanes512"/>, <see cref="Lanes256"/> and, for the tail, <see cref="Lanes1"/>.
/// The JIT specialises generic methods per struct type, so this costs nothing at run time.
/// </summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
internal unsafe interface ISimdLanes<TSelf>
    where TSelf : struct, ISimdLanes<TSelf>
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TSelf Zero { get; }

    static abstract TSelf Load(float* source);

    static abstract TSelf Create(float value);

    static abstract TSelf Sqrt(TSelf x);

    /// <summary>a·b + c with one rounding.</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);

    static abstract TSelf operator +(TSelf left, TSelf right);

    static abstract TSelf operator -(TSelf left, TSelf right);

    static abstract TSelf operator *(TSelf left, TSelf right);

    static abstract TSelf operator /(TSelf left, TSelf right);

    void Store(float* destination);

    /// <summary>The sum of the lanes.</summary>
    float Sum();
}

/// <summary>Sixteen floats in a <see cref="Vector512{T}"/>.</summary>
internal readonly unsafe struct Lanes512(Vector512<float> value) : ISimdLanes<Lanes512>
{
    private readonly Vector512<float> _value = value;

    public static int Count => Vector512<float>.Count;

    public static Lanes512 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Load(float* source) => new(Vector512.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Create(float value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Sqrt(Lanes512 x) => new(Vector512.Sqrt(x._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 FusedMultiplyAdd(Lanes512 a, Lanes512 b, Lanes512 c) => new(Vector512.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator +(Lanes512 left, Lanes512 right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator -(Lanes512 left, Lanes512 right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator *(Lanes512 left, Lanes512 right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator /(Lanes512 left, Lanes512 right) => new(left._value / right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(float* destination) => _value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Sum() => Vector512.Sum(_value);
}

/// <summary>Eight floats in a <see cref="Vector256{T}"/>.</summary>
internal readonly unsafe struct Lanes256(Vector256<float> value) : ISimdLanes<Lanes256>
{
    private readonly Vector256<float> _value = value;

    public static int Count => Vector256<float>.Count;

    public static Lanes256 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Load(float* source) => new(Vector256.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Create(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Sqrt(Lanes256 x) => new(Vector256.Sqrt(x._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 FusedMultiplyAdd(Lanes256 a, Lanes256 b, Lanes256 c) => new(Vector256.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator +(Lanes256 left, Lanes256 right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator -(Lanes256 left, Lanes256 right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator *(Lanes256 left, Lanes256 right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator /(Lanes256 left, Lanes256 right) => new(left._value / right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(float* destination) => _value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Sum() => Vector256.Sum(_value);
}

/// <summary>One float: the scalar tail, computed with the same operations as the vector lanes so every element gets the same result.</summary>
internal readonly unsafe struct Lanes1(float value) : ISimdLanes<Lanes1>
{
    private readonly float _value = value;

    public static int Count => 1;

    public static Lanes1 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Load(float* source) => new(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Create(float value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 Sqrt(Lanes1 x) => new(MathF.Sqrt(x._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 FusedMultiplyAdd(Lanes1 a, Lanes1 b, Lanes1 c) => new(MathF.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 operator +(Lanes1 left, Lanes1 right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 operator -(Lanes1 left, Lanes1 right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 operator *(Lanes1 left, Lanes1 right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes1 operator /(Lanes1 left, Lanes1 right) => new(left._value / right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(float* destination) => *destination = _value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Sum() => _value;
}
