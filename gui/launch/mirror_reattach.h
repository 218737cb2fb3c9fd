// Opening a workspace re-attaches the mirrors of its remote runs: for each run mirrored from a
// host profile that is running or pending (or a Slurm run between two jobs of its own), `astro
// remote mirror ID` started detached (it outlives the studio, like a worker). A run already being
// mirrored (by `astro run --on` or an earlier studio) keeps its mirror: the second one finds
// runs/<id>/mirror.lock held and exits at once, which is not a failure, so what these commands
// print is not reported; a mirror that cannot reach its host records that in the run's remote
// record (last error), which the overview shows.
#pragma once

#include <QObject>
#include <QString>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "gui/common/job_tracker.h"

namespace astro::gui {

class MirrorReattach : public QObject {
  Q_OBJECT
 public:
  explicit MirrorReattach(QString cliPath, QObject* parent = nullptr);

  // Reads the workspace's remote runs on a pool thread, then starts their mirrors.
  void reattach(const std::filesystem::path& workspace);

 Q_SIGNALS:
  // The runs whose mirror was started (empty: none to follow).
  void mirrorsStarted(const std::vector<std::int64_t>& runIds);
  // The runs could not be read, or `astro` could not be started.
  void failed(const QString& message);

 private:
  QString cliPath_;
  JobTracker jobs_{this};
};

}  // namespace astro::gui
