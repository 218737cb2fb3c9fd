#include "gui/trace/step_list_model.h"

#include <QBrush>
#include <QColor>

namespace astro::gui {

int charPosition(const std::string& text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return static_cast<int>(QString::fromUtf8(text.data(), static_cast<qsizetype>(byte)).size());
}

StepListModel::StepListModel(QObject* parent) : QAbstractListModel(parent) {}

void StepListModel::setGraph(const analysis::StepGraph& graph, const std::string& trace) {
  beginResetModel();
  rows_.clear();
  for (const auto& step : graph.steps) {
    StepRow row{.step = step};
    row.charBegin = charPosition(trace, step.begin);
    row.charEnd = charPosition(trace, step.end);
    auto end = std::min(step.end, trace.size());
    auto begin = std::min(step.begin, end);
    row.text = QString::fromUtf8(trace.data() + begin, static_cast<qsizetype>(end - begin));
    rows_.push_back(std::move(row));
  }
  endResetModel();
}

int StepListModel::stepAt(int position) const {
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    if (position >= rows_[i].charBegin && position < rows_[i].charEnd) return static_cast<int>(i);
  }
  // Between steps (the blank separator line): the step just before.
  for (std::size_t i = rows_.size(); i-- > 0;) {
    if (position >= rows_[i].charEnd) return static_cast<int>(i);
  }
  return -1;
}

int StepListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant StepListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const auto& row = rows_[static_cast<std::size_t>(index.row())];
  QString roleName = QString::fromUtf8(analysis::stepRoleName(row.step.role).data());
  switch (role) {
    case Qt::DisplayRole: {
      QString line = QStringLiteral("#%1 %2").arg(index.row()).arg(roleName);
      if (row.step.role == analysis::StepRole::kBacktrack && row.step.returnsTo >= 0) {
        line += QStringLiteral(" → #%1").arg(row.step.returnsTo);
      }
      if (row.step.reflects && row.step.role == analysis::StepRole::kStep) line += " (reflects)";
      return line + QStringLiteral(": ") + row.text.simplified().left(70);
    }
    case Qt::ToolTipRole:
      return row.text;
    case Qt::BackgroundRole:
      switch (row.step.role) {
        case analysis::StepRole::kBacktrack:
          return QBrush(QColor(255, 215, 215));
        case analysis::StepRole::kRestart:
          return QBrush(QColor(230, 215, 255));
        case analysis::StepRole::kReflection:
          return QBrush(QColor(255, 245, 200));
        case analysis::StepRole::kStep:
          return row.step.reflects ? QVariant(QBrush(QColor(255, 245, 200))) : QVariant();
      }
      return {};
    case kCharBeginRole:
      return row.charBegin;
    case kCharEndRole:
      return row.charEnd;
    case kRoleNameRole:
      return roleName;
  }
  return {};
}

}  // namespace astro::gui
