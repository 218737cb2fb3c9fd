// physicalMemoryBytes (host_memory.h) through sysconf.
#include "core/plan/host_memory.h"

#include <unistd.h>

namespace astro::plan {

std::int64_t physicalMemoryBytes() {
  long pages = ::sysconf(_SC_PHYS_PAGES);
  long pageSize = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || pageSize <= 0) return 0;
  return std::int64_t(pages) * std::int64_t(pageSize);
}

}  // namespace astro::plan
