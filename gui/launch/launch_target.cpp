// The launch interfaces' out-of-line members (their vtables and moc code live with this file).
#include "gui/launch/launch_target.h"

namespace astro::gui {

RunEventSource::~RunEventSource() = default;
LaunchTarget::~LaunchTarget() = default;

}  // namespace astro::gui
