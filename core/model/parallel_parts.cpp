// runAsTeam and runPartsInParallel (detail/parallel_parts.h). Compiled with -fopenmp and without
// the shared torch precompiled header (core/model/CMakeLists.txt); it includes no torch header.
#include "core/model/detail/parallel_parts.h"

#include <exception>
#include <mutex>

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace astro::model::detail {

void runAsTeam(int threads, const std::function<void(int member, int members)>& work) {
  std::exception_ptr failure;
  std::mutex failureMutex;
  auto run = [&](int member, int members) {
    try {
      work(member, members);
    } catch (...) {
      std::lock_guard lock(failureMutex);
      if (!failure) failure = std::current_exception();
    }
  };
#if defined(_OPENMP)
  if (threads > 1) {
#pragma omp parallel num_threads(threads)
    run(omp_get_thread_num(), omp_get_num_threads());
  } else {
    run(0, 1);
  }
#else
  (void)threads;
  run(0, 1);
#endif
  if (failure) std::rethrow_exception(failure);
}

// The parts on one team: member m runs parts m, m + members, ... (one each on a full team).
void runPartsInParallel(int parts, const std::function<void(int)>& work) {
  if (parts <= 1) {
    if (parts == 1) work(0);
    return;
  }
  runAsTeam(parts, [&](int member, int members) {
    for (int part = member; part < parts; part += members) work(part);
  });
}

bool partsRunInParallel() {
#if defined(_OPENMP)
  return true;
#else
  return false;
#endif
}

}  // namespace astro::model::detail
