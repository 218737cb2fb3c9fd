// GRPO groups of one RL step from the run store: one row per group (a prompt and its G
// completions), with the reward mean and spread, whether it gives a learning signal, and then
// each rollout's reward and group-relative advantage side by side (one column per rollout).
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "core/store/sample_repository.h"

namespace astro::gui {

struct RolloutGroup {
  int group = 0;
  std::string problemId;
  std::string prompt;
  std::vector<store::StoredSample> rollouts;  // by index in group
  double rewardMean = 0.0;
  double rewardStd = 0.0;  // population standard deviation, as GRPO normalises with
  bool zeroVariance() const { return rewardStd == 0.0; }
};

// Groups of a step's rollouts (ordered by group, then index in group, as the store reads them).
std::vector<RolloutGroup> groupRollouts(const std::vector<store::StoredSample>& rollouts);

class RolloutGroupModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { kGroup, kProblem, kRewardMean, kRewardStd, kSignal, kFirstRollout };

  explicit RolloutGroupModel(QObject* parent = nullptr);
  void setRollouts(std::int64_t step, const std::vector<store::StoredSample>& rollouts);
  void clear();
  std::int64_t step() const { return step_; }
  const std::vector<RolloutGroup>& groups() const { return groups_; }
  // The rollout behind a cell of a rollout column; null for other cells.
  const store::StoredSample* rolloutAt(const QModelIndex& index) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::int64_t step_ = 0;
  int groupSize_ = 0;  // the largest group: how many rollout columns
  std::vector<RolloutGroup> groups_;
};

}  // namespace astro::gui
