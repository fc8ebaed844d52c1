using System;
using System.Runtime.InteropServices;

namespace Dsl.Interop.Mpi;

/// <summary>
/// The few MPI-3 calls the distributed Trainer needs, bound to Open MPI's <c>libmpi.so.40</c>.
/// Open MPI's handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>, ...) are the addresses
/// of exported globals, so they come from <see cref="Handles"/>, not from constants.
/// </summary>
/// <remarks>
/// Collectives are bound in their non-blocking form (<c>MPI_I*</c>) and completed by polling
/// <c>MPI_Test</c>, so a caller can give up after a timeout instead of waiting forever on a dead peer.
/// </remarks>
internal static unsafe partial class MpiNative
{
    /// <summary>Open MPI's <c>MPI_IN_PLACE</c>: the address 1.</summary>
    public static readonly nint InPlace = 1;

    /// <summary><c>MPI_THREAD_FUNNELED</c>: only the thread that initialised MPI calls it.</summary>
    public const int ThreadFunneled = 1;

    [LibraryImport(Libraries.Mpi, EntryPoint = "MPI_Init_thread")]
    public static partial int InitThread(nint argc, nint argv, int required, out int provided);

    [LibraryImport(Libraries.Mpi, EntryPoint = "MPI_Initialized")]
    public static partial int Initialized(out int flag);

    [LibraryImport(Libraries.Mpi, EntryPoint = "MPI_Finalized")]
    public static partial int Finalized(out int flag);

    [LibraryImport(Libraries.Mpi, EntryPoint = "MPI_Finalize")]
    public static partial int Finalize();

    [LibraryImport(Libraries.Mpi, EntryPoint = "MPI_Abort")]
    public static partial int Abort(nint comm, int errorCode);

    [LibraryImport(Libraries.Mpi, EntryPoint = "MPI_Comm_rank")]
    public static partial int CommRank(nint comm, out int rank);

    [LibraryImport(Libraries.Mpi, EntryPoint = "MPI_Comm_size")]
    public static partial int CommSize(nint comm, out int size);

    [LibraryImport(Libraries.Mpi, EntryPoint = "MPI_Iallreduce")]
    public static partial int Iallreduce(nint send, void* receive, int count, nint type, nint op, nint comm, out nint request);

    [LibraryImport(Libraries.Mpi, EntryPoint = "MPI_Ibcast")]
    public static partial int Ibcast(void* buffer, int count, nint type, int root, nint comm, out nint request);

    [LibraryImport(Libraries.Mpi, EntryPoint = "MPI_Iallgather")]
    public static partial int Iallgather(void* send, int sendCount, nint sendType, void* receive, int receiveCount, nint receiveType, nint comm, out nint request);

    [LibraryImport(Libraries.Mpi, EntryPoint = "MPI_Iallgatherv")]
    public static partial int Iallgatherv(nint send, int sendCount, nint sendType, void* receive, int* receiveCounts, int* displacements, nint receiveType, nint comm, out nint request);

    [LibraryImport(Libraries.Mpi, EntryPoint = "MPI_Igatherv")]
    public static partial int Igatherv(void* send, int sendCount, nint sendType, void* receive, int* receiveCounts, int* displacements, nint receiveType, int root, nint comm, out nint request);

    [LibraryImport(Libraries.Mpi, EntryPoint = "MPI_Ibarrier")]
    public static partial int Ibarrier(nint comm, out nint request);

    /// <summary><c>MPI_Test</c> with <c>MPI_STATUS_IGNORE</c> (Open MPI's null).</summary>
    [LibraryImport(Libraries.Mpi, EntryPoint = "MPI_Test")]
    public static partial int Test(ref nint request, out int flag, nint status);

    /// <summary>The handles Open MPI exports as globals, looked up once.</summary>
    public static class Handles
    {
        private static readonly nint Library = NativeLibrary.Load(Libraries.Mpi);

        /// <summary><c>MPI_COMM_WORLD</c>.</summary>
        public static readonly nint CommWorld = NativeLibrary.GetExport(Library, "ompi_mpi_comm_world");

        /// <summary><c>MPI_FLOAT</c>.</summary>
        public static readonly nint Float = NativeLibrary.GetExport(Library, "ompi_mpi_float");

        /// <summary><c>MPI_DOUBLE</c>.</summary>
        public static readonly nint Double = NativeLibrary.GetExport(Library, "ompi_mpi_double");

        /// <summary><c>MPI_LONG_LONG</c> (64-bit).</summary>
        public static readonly nint Int64 = NativeLibrary.GetExport(Library, "ompi_mpi_long_long_int");

        /// <summary><c>MPI_BYTE</c>.</summary>
        public static readonly nint Byte = NativeLibrary.GetExport(Library, "ompi_mpi_byte");

        /// <summary><c>MPI_SUM</c>.</summary>
        public static readonly nint Sum = NativeLibrary.GetExport(Library, "ompi_mpi_op_sum");

        /// <summary><c>MPI_MAX</c>.</summary>
        public static readonly nint Max = NativeLibrary.GetExport(Library, "ompi_mpi_op_max");

        /// <summary><c>MPI_MIN</c>.</summary>
        public static readonly nint Min = NativeLibrary.GetExport(Library, "ompi_mpi_op_min");
    }
}
