// GRPO's view of imported samples: the rollouts of one prompt at one checkpoint form a group; with
// a verifiable 0/1 reward a group whose rollouts all agree has zero group-relative advantage and
// teaches nothing (DeepSeekMath's GRPO; ASTRO Sec. 3.2 trains with it). One row per group.
#pragma once

#include <QAbstractTableModel>
#include <memory>
#include <vector>

#include "core/analysis/generation_import.h"

namespace astro::gui {

struct SampleGroup {
  std::string checkpoint;
  std::string problemId;
  int rollouts = 0;
  int graded = 0;
  int correct = 0;
  double rewardMean = 0.0;  // over graded rollouts, reward = 1 when correct
  double rewardStd = 0.0;   // population standard deviation, as GRPO normalises with
  double meanBacktracks = 0.0;
  bool zeroAdvantage() const { return graded > 0 && (correct == 0 || correct == graded); }
};

// Groups in order of first appearance.
std::vector<SampleGroup> groupSamples(const std::vector<analysis::ImportedSample>& samples);

class GroupTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column {
    kCheckpoint,
    kProblem,
    kRollouts,
    kCorrect,
    kRewardMean,
    kRewardStd,
    kBacktracks,
    kSignal,
    kColumnCount
  };

  explicit GroupTableModel(QObject* parent = nullptr);
  void setGroups(std::vector<SampleGroup> groups);
  const std::vector<SampleGroup>& groups() const { return groups_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<SampleGroup> groups_;
};

}  // namespace astro::gui
