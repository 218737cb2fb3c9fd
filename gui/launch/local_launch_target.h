// LaunchTarget on this machine: `astro run CONFIG --base-dir PRESET_DIR` started detached, so
// closing the studio does not stop the worker (cli_launch_target.h: the config file, the output
// files, cancel, resume and the event source). Running runs are those whose worker still holds
// runs/<id>/worker.lock.
#pragma once

#include "gui/launch/cli_launch_target.h"

namespace astro::gui {

class LocalLaunchTarget : public CliLaunchTarget {
  Q_OBJECT
 public:
  using CliLaunchTarget::CliLaunchTarget;

  QString description() const override;

 protected:
  RunningFilter runningFilter() const override;
};

}  // namespace astro::gui
