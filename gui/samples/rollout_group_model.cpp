#include "gui/samples/rollout_group_model.h"

#include <QBrush>
#include <QColor>
#include <algorithm>
#include <cmath>

namespace astro::gui {

std::vector<RolloutGroup> groupRollouts(const std::vector<store::StoredSample>& rollouts) {
  std::vector<RolloutGroup> groups;
  for (const auto& rollout : rollouts) {
    if (groups.empty() || groups.back().group != rollout.row.group) {
      groups.push_back({.group = rollout.row.group,
                        .problemId = rollout.row.problemId,
                        .prompt = rollout.row.prompt});
    }
    groups.back().rollouts.push_back(rollout);
  }
  for (auto& group : groups) {
    double sum = 0.0, squares = 0.0;
    for (const auto& rollout : group.rollouts) sum += rollout.row.reward.value_or(0.0);
    group.rewardMean = sum / double(group.rollouts.size());
    for (const auto& rollout : group.rollouts) {
      double d = rollout.row.reward.value_or(0.0) - group.rewardMean;
      squares += d * d;
    }
    group.rewardStd = std::sqrt(squares / double(group.rollouts.size()));
  }
  return groups;
}

RolloutGroupModel::RolloutGroupModel(QObject* parent) : QAbstractTableModel(parent) {}

void RolloutGroupModel::setRollouts(std::int64_t step,
                                    const std::vector<store::StoredSample>& rollouts) {
  beginResetModel();
  step_ = step;
  groups_ = groupRollouts(rollouts);
  groupSize_ = 0;
  for (const auto& group : groups_) {
    groupSize_ = std::max(groupSize_, static_cast<int>(group.rollouts.size()));
  }
  endResetModel();
}

void RolloutGroupModel::clear() { setRollouts(0, {}); }

const store::StoredSample* RolloutGroupModel::rolloutAt(const QModelIndex& index) const {
  if (!index.isValid() || index.row() >= rowCount() || index.column() < kFirstRollout) {
    return nullptr;
  }
  const auto& rollouts = groups_[static_cast<std::size_t>(index.row())].rollouts;
  const auto member = static_cast<std::size_t>(index.column() - kFirstRollout);
  return member < rollouts.size() ? &rollouts[member] : nullptr;
}

int RolloutGroupModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(groups_.size());
}

int RolloutGroupModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kFirstRollout + groupSize_;
}

QVariant RolloutGroupModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const RolloutGroup& group = groups_[static_cast<std::size_t>(index.row())];
  if (const store::StoredSample* rollout = rolloutAt(index)) {
    const auto& row = rollout->row;
    if (role == Qt::ForegroundRole && row.correct) {
      return QBrush(*row.correct ? QColor(30, 140, 60) : QColor(200, 40, 40));
    }
    if (role == Qt::ToolTipRole) {
      return tr("%1 tokens, %2 backtracks, answer %3\n\n%4")
          .arg(row.tokens)
          .arg(row.backtracks)
          .arg(QString::fromStdString(row.answer),
               QString::fromStdString(row.completion).left(1500));
    }
    if (role != Qt::DisplayRole) return {};
    // "r +1  A +0.71": the reward and the advantage GRPO weighted this completion's tokens with.
    return QStringLiteral("r %1  A %2")
        .arg(row.reward ? QString::asprintf("%+g", *row.reward) : QStringLiteral("–"),
             row.advantage ? QString::asprintf("%+.3f", *row.advantage) : QStringLiteral("–"));
  }
  if (index.column() >= kFirstRollout) return {};
  if (role == Qt::ToolTipRole && index.column() == kProblem) {
    return QString::fromStdString(group.prompt).left(2000);
  }
  if (role == Qt::ForegroundRole && index.column() == kSignal && group.zeroVariance()) {
    return QBrush(QColor(180, 120, 20));
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case kGroup:
      return group.group;
    case kProblem:
      return QString::fromStdString(group.problemId);
    case kRewardMean:
      return group.rewardMean;
    case kRewardStd:
      return group.rewardStd;
    case kSignal:
      return group.zeroVariance() ? tr("none (all equal)") : tr("yes");
  }
  return {};
}

QVariant RolloutGroupModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* kNames[] = {"Group", "Problem", "Reward mean", "Reward std",
                                 "Learning signal"};
  if (section >= 0 && section < kFirstRollout) return tr(kNames[section]);
  if (section >= kFirstRollout && section < columnCount()) {
    return tr("Rollout %1").arg(section - kFirstRollout + 1);
  }
  return {};
}

}  // namespace astro::gui
