// OpenBLAS picks its kernels from the CPU's family and model at load time. In virtual machines
// that report a generic model ("Intel(R) Xeon(R) Processor") it falls back to the SSE3 Prescott
// kernels even when AVX2/AVX-512 are there: about 3x slower fp32 matmul on this project's 2-core
// hosts (`astro doctor`: 29-33 vs 58-126 GFLOP/s). The choice is fixed before main() runs, so the
// fix is to restart the process once with OPENBLAS_CORETYPE naming the kernels the CPU supports.
#pragma once

#include <string>

namespace astro {

// The OpenBLAS core in use ("Prescott", "Haswell", ...), or "" when the BLAS is not OpenBLAS.
std::string openBlasCoreName();

// The OPENBLAS_CORETYPE this CPU should use when OpenBLAS chose a pre-AVX2 core although the CPU
// has AVX2 and FMA ("SkylakeX" with AVX-512 F/BW/DQ/VL, else "Haswell"); "" when nothing to fix.
std::string betterOpenBlasCore();

// Call first in main(): when betterOpenBlasCore() names a core and OPENBLAS_CORETYPE is unset,
// sets it and re-executes the program (the file /proc/self/exe names) with the same
// arguments. Returns normally when there is nothing to do, the user set OPENBLAS_CORETYPE
// (ASTRO_KEEP_BLAS_CORE=1 also keeps OpenBLAS's own choice), or the exec fails.
void restartWithFastBlasKernels(char** argv);

}  // namespace astro
