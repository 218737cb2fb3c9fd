// A followed run as the Launch view shows it: status, current stage and progress with ETA, the
// log lines, and the latest value of every metric as the table's rows (name, step, value). Events
// are applied once each, in seq order; a seq at or below the last applied one is ignored, so a
// re-attached follower may overlap what it already holds.
#pragma once

#include <QAbstractTableModel>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/store/event_log.h"
#include "gui/workspace/run_progress_bar.h"

namespace astro::gui {

struct RunProgress {
  QString stage;
  int position = 0;  // 1-based stage position, 0 before the first stage
  int stageCount = 0;
  QString phase;  // "training", "evaluation", ...
  std::int64_t done = 0;
  std::int64_t total = 0;
  std::optional<double> etaSeconds;
};

class RunFollowModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { kName, kStep, kValue, kColumnCount };
  explicit RunFollowModel(QObject* parent = nullptr);

  void reset(std::int64_t runId);  // forget everything; follow `runId` (0: none)
  void apply(const std::vector<store::Event>& events);

  std::int64_t runId() const { return runId_; }
  std::int64_t lastSeq() const { return lastSeq_; }
  // From the lifecycle log lines: "running", "interrupted", "cancelled", "finished", "failed";
  // empty before the first.
  const QString& status() const { return status_; }
  const QString& runName() const { return runName_; }
  const RunProgress& progress() const { return progress_; }
  const QStringList& logLines() const { return logLines_; }
  std::optional<double> metric(const QString& name) const;
  QString progressText() const;  // "[4/7 sft] training 40/120 (33%), ETA 1 min 35 s"
  const QString& lastError() const { return lastError_; }  // the last error event's message
  // What the progress bar shows: the stage and its counts, "finished", or "failed: <lastError>".
  RunProgressState progressState() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 Q_SIGNALS:
  void stateChanged();  // status or progress, once per applied batch
  void logAppended(const QStringList& lines);

 private:
  struct LatestMetric {
    QString name;
    std::int64_t step = 0;
    double value = 0.0;
  };
  void applyMetric(const store::Event& event);

  std::int64_t runId_ = 0;
  std::int64_t lastSeq_ = 0;
  QString status_;
  QString runName_;
  RunProgress progress_;
  QStringList logLines_;
  QString lastError_;
  std::vector<LatestMetric> metrics_;  // in order of first appearance
};

}  // namespace astro::gui
