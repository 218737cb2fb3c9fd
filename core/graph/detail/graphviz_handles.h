// Private to core/graph: RAII owners of Graphviz handles (STYLE.md) and the lock that serializes
// Graphviz, whose layout and render code keeps global state and is not thread-safe.
#pragma once

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <memory>
#include <mutex>
#include <string>

namespace astro::graph::detail {

struct GraphDeleter {
  void operator()(Agraph_t* graph) const { agclose(graph); }
};
struct ContextDeleter {
  void operator()(GVC_t* context) const { gvFreeContext(context); }
};
using GraphHandle = std::unique_ptr<Agraph_t, GraphDeleter>;
using ContextHandle = std::unique_ptr<GVC_t, ContextDeleter>;

// Holds a layout until destroyed (gvFreeLayout must run before agclose).
class LayoutGuard {
 public:
  LayoutGuard(GVC_t* context, Agraph_t* graph) : context_(context), graph_(graph) {}
  ~LayoutGuard() { gvFreeLayout(context_, graph_); }
  LayoutGuard(const LayoutGuard&) = delete;
  LayoutGuard& operator=(const LayoutGuard&) = delete;

 private:
  GVC_t* context_;
  Agraph_t* graph_;
};

// Every call into cgraph/gvc holds this lock.
std::mutex& graphvizMutex();

// A context with the installed plugins; throws astro::Error when Graphviz cannot start.
ContextHandle newContext();

// Parses DOT text (throws astro::Error naming `source` when Graphviz rejects it).
GraphHandle readDot(const std::string& dotText, const std::string& source);

}  // namespace astro::graph::detail
