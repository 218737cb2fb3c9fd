#include "gui/samples/group_table_model.h"

#include <QBrush>
#include <QColor>
#include <cmath>
#include <map>

namespace astro::gui {

std::vector<SampleGroup> groupSamples(const std::vector<analysis::ImportedSample>& samples) {
  std::vector<SampleGroup> groups;
  std::map<std::pair<std::string, std::string>, std::size_t> indexOf;
  std::vector<double> backtrackSums;
  for (const auto& sample : samples) {
    auto key = std::make_pair(sample.checkpoint, sample.problemId);
    auto [found, inserted] = indexOf.emplace(key, groups.size());
    if (inserted) {
      groups.push_back({.checkpoint = sample.checkpoint, .problemId = sample.problemId});
      backtrackSums.push_back(0.0);
    }
    auto& group = groups[found->second];
    ++group.rollouts;
    backtrackSums[found->second] += sample.stats.backtracks;
    if (sample.stats.correct) {
      ++group.graded;
      if (*sample.stats.correct) ++group.correct;
    }
  }
  for (std::size_t i = 0; i < groups.size(); ++i) {
    auto& group = groups[i];
    group.meanBacktracks = backtrackSums[i] / group.rollouts;
    if (group.graded == 0) continue;
    group.rewardMean = static_cast<double>(group.correct) / group.graded;
    // Rewards are 0/1: the variance is p(1 - p).
    group.rewardStd = std::sqrt(group.rewardMean * (1.0 - group.rewardMean));
  }
  return groups;
}

GroupTableModel::GroupTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void GroupTableModel::setGroups(std::vector<SampleGroup> groups) {
  beginResetModel();
  groups_ = std::move(groups);
  endResetModel();
}

int GroupTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(groups_.size());
}

int GroupTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant GroupTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const auto& group = groups_[static_cast<std::size_t>(index.row())];
  if (role == Qt::ForegroundRole && index.column() == kSignal && group.zeroAdvantage()) {
    return QBrush(QColor(180, 120, 20));
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case kCheckpoint:
      return QString::fromStdString(group.checkpoint);
    case kProblem:
      return QString::fromStdString(group.problemId);
    case kRollouts:
      return group.rollouts;
    case kCorrect:
      return QStringLiteral("%1/%2").arg(group.correct).arg(group.graded);
    case kRewardMean:
      return group.rewardMean;
    case kRewardStd:
      return group.rewardStd;
    case kBacktracks:
      return group.meanBacktracks;
    case kSignal:
      if (group.graded == 0) return tr("ungraded");
      return group.zeroAdvantage() ? tr("none (all equal)") : tr("yes");
  }
  return {};
}

QVariant GroupTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* kNames[] = {"Checkpoint",  "Problem",    "Rollouts",        "Correct",
                                 "Reward mean", "Reward std", "Mean backtracks", "Learning signal"};
  return section >= 0 && section < kColumnCount ? tr(kNames[section]) : QVariant();
}

}  // namespace astro::gui
