using System;
using Dsl.Interop.OpenCl;

namespace Dsl;

/// <summary>
/// An OpenCL call failed. The message names the call, the error code's name and number, and what
/// the runtime was doing (which buffer, kernel or program).
/// </summary>
public class OpenClException : Exception
{
    /// <summary>Creates the exception for a failed call.</summary>
    /// <param name="call">The OpenCL function, e.g. <c>clCreateBuffer</c>.</param>
    /// <param name="errorCode">The <c>cl_int</c> it returned.</param>
    /// <param name="doing">What was being done, e.g. <c>allocating 'x' (4096 bytes) on PoCL</c>.</param>
    public OpenClException(string call, int errorCode, string doing)
        : this(call, errorCode, $"{call} failed with {OpenClErrorCodes.Name(errorCode)} ({errorCode}) while {doing}.", inner: null)
    {
    }

    /// <summary>Creates the exception with a message of the caller's own.</summary>
    /// <param name="call">The OpenCL function.</param>
    /// <param name="errorCode">The <c>cl_int</c> it returned.</param>
    /// <param name="message">The whole message.</param>
    /// <param name="inner">The exception behind this one, if any.</param>
    protected OpenClException(string call, int errorCode, string message, Exception? inner)
        : base(message, inner)
    {
        Call = call;
        ErrorCode = errorCode;
        ErrorName = OpenClErrorCodes.Name(errorCode);
    }

    /// <summary>An exception for a call the runtime refused to make because it would fail (the message says why).</summary>
    internal static OpenClException Refused(string call, int errorCode, string message) => new(call, errorCode, message, inner: null);

    /// <summary>The OpenCL function that failed, e.g. <c>clCreateBuffer</c>.</summary>
    public string Call { get; }

    /// <summary>The error code it returned (negative; 0 is success).</summary>
    public int ErrorCode { get; }

    /// <summary>The code's name in <c>cl.h</c>, e.g. <c>CL_MEM_OBJECT_ALLOCATION_FAILURE</c>.</summary>
    public string ErrorName { get; }
}
