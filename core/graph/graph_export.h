// Export of a search tree as DOT text or as a picture drawn by Graphviz (dot layout, gvRender):
// SVG, PDF and PNG. Files are replaced atomically.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/graph/tree_dot.h"
#include "core/search/tree.h"

namespace astro::graph {

enum class ExportFormat { kDot, kSvg, kPdf, kPng };

// "dot", "svg", "pdf" or "png" (case-sensitive); throws astro::UsageError naming the value.
ExportFormat exportFormatFromName(std::string_view name);
std::string exportFormatName(ExportFormat format);

// The bytes of the exported file: DOT text, or what gvRender writes for the format.
std::string renderTree(const search::SearchTree& tree, ExportFormat format,
                       const TreeDotOptions& options = {});

// Renders DOT text (of any graph) to `format`; throws astro::Error naming `source` on failure.
std::string renderDot(const std::string& dotText, ExportFormat format, const std::string& source);

void exportTree(const search::SearchTree& tree, ExportFormat format,
                const std::filesystem::path& output, const TreeDotOptions& options = {});

}  // namespace astro::graph
