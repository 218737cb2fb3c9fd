#include "core/graph/detail/dot_layout.h"

#include "core/base/error.h"
#include "core/graph/detail/graphviz_handles.h"

namespace astro::graph::detail {

namespace {
constexpr double kPointsPerInch = 72.0;
}

bool layoutDotText(const std::string& dotText, const std::string& source, GraphLayout& layout,
                   const std::atomic<bool>* cancel) {
  auto cancelled = [&] { return cancel && cancel->load(std::memory_order_relaxed); };
  std::lock_guard lock(graphvizMutex());
  if (cancelled()) return false;
  ContextHandle context = newContext();
  GraphHandle graph = readDot(dotText, source);
  if (gvLayout(context.get(), graph.get(), "dot") != 0) {
    throw Error(source + ": Graphviz dot layout failed (" + std::to_string(layout.nodes.size()) +
                " nodes)");
  }
  LayoutGuard layoutGuard(context.get(), graph.get());
  if (cancelled()) return false;

  boxf box = GD_bb(graph.get());
  auto flip = [&](pointf p) { return Point{p.x - box.LL.x, box.UR.y - p.y}; };
  layout.width = box.UR.x - box.LL.x;
  layout.height = box.UR.y - box.LL.y;
  Agsym_t* classAttribute = agattr(graph.get(), AGEDGE, const_cast<char*>("class"), nullptr);
  for (LayoutNode& drawn : layout.nodes) {
    std::string name = "n" + std::to_string(drawn.id);
    Agnode_t* node = agnode(graph.get(), name.data(), 0);
    if (!node) throw Error(source + ": node " + name + " is missing after layout");
    Point centre = flip(ND_coord(node));
    drawn.x = centre.x;
    drawn.y = centre.y;
    drawn.width = ND_width(node) * kPointsPerInch;
    drawn.height = ND_height(node) * kPointsPerInch;
    for (Agedge_t* edge = agfstout(graph.get(), node); edge; edge = agnxtout(graph.get(), edge)) {
      LayoutEdge drawnEdge;
      drawnEdge.from = drawn.id;
      drawnEdge.to = std::stoi(agnameof(aghead(edge)) + 1);
      if (classAttribute) drawnEdge.kind = agxget(edge, classAttribute);
      if (const splines* spline = ED_spl(edge)) {
        for (int b = 0; b < spline->size; ++b) {
          const bezier& curve = spline->list[b];
          for (int k = 0; k < curve.size; ++k) drawnEdge.spline.push_back(flip(curve.list[k]));
          if (curve.eflag) drawnEdge.arrowTip = flip(curve.ep);
        }
      }
      layout.edges.push_back(std::move(drawnEdge));
    }
  }
  return true;
}

}  // namespace astro::graph::detail
