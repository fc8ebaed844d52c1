// The NativeAOT build of bench/compare.py's Dsl server: the requests and answers of
// bench/Dsl.Benchmarks/Serve.cs, the same code compiled ahead of time; `cputime CASE CALLS` times a
// case by the thread's CPU clock as `Dsl.Benchmarks cputime` does under the JIT.
return args is ["cputime", ..] ? Dsl.Benchmarks.StepCpuTime.Run(args[1..]) : Dsl.Benchmarks.Serve.Run();
