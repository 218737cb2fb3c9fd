// Version of the Graphviz libraries (cgraph/gvc) used for layout (for `astro doctor`).
#pragma once

#include <string>

namespace astro::graph {
std::string graphvizVersion();
}
