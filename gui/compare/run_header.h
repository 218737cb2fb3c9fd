// How a compared run heads its column in the Compare view's tables: "#3" beside a swatch of the
// run's colour (run_colors.h), its name, status and host in the tooltip; the view's headline
// names each run once ("#3 tiny-lr-2e-3").
#pragma once

#include <QString>
#include <QVariant>

#include "core/store/run_repository.h"

namespace astro::gui {

QString runTitle(const store::Run& run);  // "#3 tiny-lr-2e-3"
// Display ("#3"), decoration (the colour swatch) and tooltip of the header.
QVariant runHeaderData(const store::Run& run, int role);

}  // namespace astro::gui
