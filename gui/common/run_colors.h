// The colour of a run, the same in every view of the studio (side panel, training curves, run
// comparison): a fixed qualitative palette that colour-blind readers can tell apart, indexed by
// run id so a run keeps its colour whatever else is selected.
#pragma once

#include <QColor>
#include <cstdint>

namespace astro::gui {

// Paul Tol's "muted" qualitative scheme (https://personal.sron.nl/~pault/#sec:qualitative), nine
// colours distinct under deuteranopia, protanopia and tritanopia, reordered so that neighbouring
// run ids get the most different hues. Run 1 gets the first; ids past nine wrap around.
inline constexpr int kRunColorCount = 9;
QColor runColor(std::int64_t runId);

}  // namespace astro::gui
