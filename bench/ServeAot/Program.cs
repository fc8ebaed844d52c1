// The NativeAOT build of bench/compare.py's Dsl server: the requests and answers of
// bench/Dsl.Benchmarks/Serve.cs, the same code compiled ahead of time.
return Dsl.Benchmarks.Serve.Run();
