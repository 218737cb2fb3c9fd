#include "core/graph/graphviz_version.h"

#include <graphviz/gvc.h>

#include <memory>

namespace astro::graph {
std::string graphvizVersion() {
  std::unique_ptr<GVC_t, decltype(&gvFreeContext)> context(gvContext(), &gvFreeContext);
  const char* version = context ? gvcVersion(context.get()) : nullptr;
  return version ? version : "unknown";
}
}  // namespace astro::graph
