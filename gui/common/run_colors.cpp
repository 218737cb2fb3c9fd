// The run colour palette (run_colors.h).
#include "gui/common/run_colors.h"

namespace astro::gui {
namespace {

// Tol muted: indigo, rose, teal, sand, wine, cyan, green, purple, olive.
constexpr QRgb kPalette[kRunColorCount] = {0x332288, 0xCC6677, 0x44AA99, 0xDDCC77, 0x882255,
                                           0x88CCEE, 0x117733, 0xAA4499, 0x999933};

}  // namespace

QColor runColor(std::int64_t runId) {
  // Ids start at 1; 0 and negative ids (imports without a run) still map into the palette.
  std::int64_t index = ((runId - 1) % kRunColorCount + kRunColorCount) % kRunColorCount;
  return QColor::fromRgb(kPalette[index]);
}

}  // namespace astro::gui
