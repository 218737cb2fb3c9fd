#include "core/graph/graph_export.h"

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/graph/detail/graphviz_handles.h"

namespace astro::graph {

ExportFormat exportFormatFromName(std::string_view name) {
  if (name == "dot") return ExportFormat::kDot;
  if (name == "svg") return ExportFormat::kSvg;
  if (name == "pdf") return ExportFormat::kPdf;
  if (name == "png") return ExportFormat::kPng;
  throw UsageError("unknown graph format '" + std::string(name) + "' (use dot, svg, pdf or png)");
}

std::string exportFormatName(ExportFormat format) {
  switch (format) {
    case ExportFormat::kDot:
      return "dot";
    case ExportFormat::kSvg:
      return "svg";
    case ExportFormat::kPdf:
      return "pdf";
    case ExportFormat::kPng:
      return "png";
  }
  return "dot";
}

std::string renderDot(const std::string& dotText, ExportFormat format, const std::string& source) {
  if (format == ExportFormat::kDot) return dotText;
  std::string renderer = exportFormatName(format);
  std::lock_guard lock(detail::graphvizMutex());
  detail::ContextHandle context = detail::newContext();
  detail::GraphHandle graph = detail::readDot(dotText, source);
  if (gvLayout(context.get(), graph.get(), "dot") != 0) {
    throw Error(source + ": Graphviz dot layout failed");
  }
  detail::LayoutGuard layoutGuard(context.get(), graph.get());
  char* data = nullptr;
  unsigned int length = 0;
  if (gvRenderData(context.get(), graph.get(), renderer.c_str(), &data, &length) != 0 || !data) {
    throw Error(source + ": Graphviz cannot render '" + renderer +
                "' (is the cairo plugin libgvplugin_pango installed?)");
  }
  std::unique_ptr<char, decltype(&gvFreeRenderData)> owned(data, &gvFreeRenderData);
  return std::string(data, length);
}

std::string renderTree(const search::SearchTree& tree, ExportFormat format,
                       const TreeDotOptions& options) {
  return renderDot(treeToDot(tree, options).text, format, "search tree");
}

void exportTree(const search::SearchTree& tree, ExportFormat format,
                const std::filesystem::path& output, const TreeDotOptions& options) {
  writeFileAtomically(output, renderTree(tree, format, options));
}

}  // namespace astro::graph
