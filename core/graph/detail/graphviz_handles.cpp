#include "core/graph/detail/graphviz_handles.h"

#include "core/base/error.h"

namespace astro::graph::detail {

std::mutex& graphvizMutex() {
  static std::mutex mutex;
  return mutex;
}

ContextHandle newContext() {
  ContextHandle context(gvContext());
  if (!context) throw Error("graphviz: gvContext() failed (is libgvc installed?)");
  return context;
}

GraphHandle readDot(const std::string& dotText, const std::string& source) {
  GraphHandle graph(agmemread(dotText.c_str()));
  if (!graph) {
    const char* message = aglasterr();
    throw Error(source + ": Graphviz could not parse the DOT text" +
                (message ? std::string(": ") + message : std::string()));
  }
  return graph;
}

}  // namespace astro::graph::detail
