#!/bin/sh
# Prints the OPENBLAS_CORETYPE for this CPU when it has AVX2 and FMA (SkylakeX with AVX-512
# F/BW/DQ/VL, else Haswell), nothing otherwise. OpenBLAS falls back to its SSE3 Prescott kernels
# on virtual CPUs that report a generic model, ~3x slower; astro and astro-studio fix that
# themselves (core/base/blas_kernels.h), test executables get it from scripts/test.sh.
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
has() { case " $flags " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
if has avx2 && has fma; then
  if has avx512f && has avx512bw && has avx512dq && has avx512vl; then
    echo SkylakeX
  else
    echo Haswell
  fi
fi
