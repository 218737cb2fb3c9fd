// Stage timings side by side (stage_timing_model.h).
#include "gui/compare/stage_timing_model.h"

#include <QBrush>
#include <QDateTime>
#include <QFont>
#include <QPalette>

#include "gui/compare/run_header.h"
#include "gui/workspace/workspace_data.h"

namespace astro::gui {

namespace {

QString timeText(const store::Timestamp& time) {
  return QString::fromStdString(store::formatTimestamp(time));
}

QString clockText(const store::Timestamp& time) {
  return QDateTime::fromMSecsSinceEpoch(store::toMilliseconds(time), Qt::UTC)
      .toString(QStringLiteral("HH:mm:ss"));
}

QString stageTooltip(const store::Stage& stage) {
  QStringList lines;
  lines
      << QObject::tr("status %1").arg(QString::fromStdString(store::stageStatusName(stage.status)));
  lines << (stage.started ? QObject::tr("started %1").arg(timeText(*stage.started))
                          : QObject::tr("not started"));
  if (stage.finished) lines << QObject::tr("ended %1").arg(timeText(*stage.finished));
  if (auto seconds = analysis::stageSeconds(stage)) {
    lines << QObject::tr("took %1 s").arg(*seconds, 0, 'f', 3);
  }
  return lines.join(QLatin1Char('\n'));
}

QString stageText(const store::Stage& stage) {
  auto seconds = analysis::stageSeconds(stage);
  if (!stage.started) return QString::fromStdString(store::stageStatusName(stage.status));
  if (!seconds) return QObject::tr("running since %1").arg(clockText(*stage.started));
  QString text = stageDurationText(*seconds);
  if (stage.status != store::StageStatus::kFinished) {
    text +=
        QStringLiteral(" (%1)").arg(QString::fromStdString(store::stageStatusName(stage.status)));
  }
  return text;
}

}  // namespace

QString stageDurationText(double seconds) {
  if (seconds >= 0 && seconds < 10) return QStringLiteral("%1 s").arg(seconds, 0, 'f', 2);
  if (seconds >= 10 && seconds < 60) return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
  return formatDuration(seconds);
}

StageTimingModel::StageTimingModel(QObject* parent) : QAbstractTableModel(parent) {}

void StageTimingModel::setTimings(std::vector<store::Run> runs,
                                  std::vector<analysis::StageTimingRow> rows) {
  beginResetModel();
  runs_ = std::move(runs);
  rows_ = std::move(rows);
  endResetModel();
}

int StageTimingModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || runs_.empty()) return 0;
  return static_cast<int>(rows_.size()) + 1;  // the total
}

int StageTimingModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : 1 + static_cast<int>(runs_.size());
}

QVariant StageTimingModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto row = static_cast<std::size_t>(index.row());
  const bool total = row == rows_.size();
  if (role == Qt::FontRole && total) {
    QFont font;
    font.setBold(true);
    return font;
  }
  if (index.column() == kStage) {
    if (role != Qt::DisplayRole) return {};
    return total ? tr("all stages") : QString::fromStdString(rows_[row].stage);
  }
  const auto run = static_cast<std::size_t>(index.column() - 1);
  if (role == Qt::TextAlignmentRole) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  return total ? totalData(run, role) : stageData(rows_[row].runs[run], role);
}

QVariant StageTimingModel::stageData(const std::optional<store::Stage>& stage, int role) const {
  switch (role) {
    case Qt::DisplayRole:
      return stage ? stageText(*stage) : QStringLiteral("—");
    case Qt::ToolTipRole:
      return stage ? stageTooltip(*stage) : tr("this run has no such stage");
    case kSecondsRole:
      if (auto seconds = stage ? analysis::stageSeconds(*stage) : std::nullopt) return *seconds;
      return {};
    case Qt::ForegroundRole:
      if (!stage) return QBrush(QPalette().color(QPalette::PlaceholderText));
      if (stage->status == store::StageStatus::kFailed) return QBrush(QColor(0xb0, 0x00, 0x20));
      return {};
    default:
      return {};
  }
}

QVariant StageTimingModel::totalData(std::size_t run, int role) const {
  double seconds = 0;
  int counted = 0;
  for (const auto& row : rows_) {
    auto duration = row.runs[run] ? analysis::stageSeconds(*row.runs[run]) : std::nullopt;
    if (duration) {
      seconds += *duration;
      ++counted;
    }
  }
  switch (role) {
    case Qt::DisplayRole:
      return counted == 0 ? QStringLiteral("—") : stageDurationText(seconds);
    case Qt::ToolTipRole:
      return tr("sum of the %n stage(s) that ended", nullptr, counted);
    case kSecondsRole:
      return counted == 0 ? QVariant() : QVariant(seconds);
    default:
      return {};
  }
}

QVariant StageTimingModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Vertical)
    return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
  if (section == kStage) return role == Qt::DisplayRole ? tr("Stage") : QVariant();
  if (section < 1 || section > static_cast<int>(runs_.size())) return {};
  return runHeaderData(runs_[static_cast<std::size_t>(section - 1)], role);
}

}  // namespace astro::gui
