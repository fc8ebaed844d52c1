/* LD_PRELOAD shim for bench/compare.py's TorchSharp peer (issue 20): LibTorch's statically linked MKL
   asks these two functions whether it runs on an Intel processor and, on AMD, takes a generic path
   instead of its AVX-512 kernels. Answering 1 puts MKL on the path an Intel user gets. libtorch_cpu.so
   exports both, so a preloaded definition takes precedence over MKL's own. Built at bench time:
       gcc -O2 -shared -fPIC -o mkl_intel_path.so mkl_intel_path.c */
int mkl_serv_intel_cpu_true(void) { return 1; }
int mkl_serv_intel_cpu(void) { return 1; }
