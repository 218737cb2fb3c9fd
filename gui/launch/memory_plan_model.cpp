// The memory plan table (memory_plan_model.h).
#include "gui/launch/memory_plan_model.h"

#include <QBrush>
#include <QColor>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace astro::gui {

QString formatByteCount(qint64 bytes) {
  if (bytes < 1024) return QStringLiteral("%1 B").arg(bytes);
  static const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = double(bytes) / 1024.0;
  int unit = 0;
  while (value >= 1024.0 && unit < 4) {
    value /= 1024.0;
    ++unit;
  }
  return QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1String(kUnits[unit]));
}

MemoryPlan parseMemoryPlanJson(const QByteArray& json, QString* error) {
  QJsonParseError parseError;
  QJsonObject root = QJsonDocument::fromJson(json.trimmed(), &parseError).object();
  MemoryPlan plan;
  if (root.isEmpty() || !root["stages"].isArray()) {
    if (error) *error = QObject::tr("astro plan printed no plan");
    return plan;
  }
  plan.fits = root["fits"].toBool();
  for (const QJsonValue& value : root["stages"].toArray()) {
    QJsonObject stage = value.toObject();
    auto bytes = [&](const char* key) { return qint64(stage[QLatin1String(key)].toDouble()); };
    plan.rows << MemoryPlanRow{.stage = stage["stage"].toString(),
                               .model = stage["model"].toString(),
                               .work = stage["work"].toString(),
                               .weights = bytes("weights"),
                               .gradients = bytes("gradients"),
                               .optimizer = bytes("optimizer"),
                               .activations = bytes("activations"),
                               .kvCache = bytes("kv_cache"),
                               .total = bytes("total"),
                               .fits = stage["fits"].toBool(),
                               .advice = stage["advice"].toString()};
  }
  QString where = root["device"].toString().startsWith(QLatin1String("cuda"))
                      ? QObject::tr("%1 GPU(s) of %2")
                            .arg(root["gpus"].toInt())
                            .arg(formatByteCount(qint64(root["device_memory"].toDouble())))
                      : QObject::tr("CPU, %1 process(es)").arg(root["gpus"].toInt());
  plan.summary = plan.fits ? QObject::tr("Per GPU on %1: every stage fits").arg(where)
                           : QObject::tr("Per GPU on %1: a stage does not fit").arg(where);
  return plan;
}

void MemoryPlanModel::setPlan(MemoryPlan plan) {
  beginResetModel();
  plan_ = std::move(plan);
  endResetModel();
}

int MemoryPlanModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(plan_.rows.size());
}

int MemoryPlanModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant MemoryPlanModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const MemoryPlanRow& row = plan_.rows[index.row()];
  if (role == Qt::ToolTipRole) return row.fits ? row.work : row.advice;
  if (role == Qt::ForegroundRole && index.column() == kFits) {
    return QBrush(row.fits ? QColor(0x1b, 0x5e, 0x20) : QColor(0xb0, 0x00, 0x20));
  }
  if (role == Qt::TextAlignmentRole && index.column() >= kWeights && index.column() <= kTotal) {
    return int(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole) return {};
  if (row.model.isEmpty() && index.column() != kStage) return index.column() == kModel ? QStringLiteral("-") : QVariant();
  switch (index.column()) {
    case kStage: return row.stage;
    case kModel: return row.model;
    case kWeights: return formatByteCount(row.weights);
    case kGradients: return formatByteCount(row.gradients);
    case kOptimizer: return formatByteCount(row.optimizer);
    case kActivations: return formatByteCount(row.activations);
    case kKvCache: return formatByteCount(row.kvCache);
    case kTotal: return formatByteCount(row.total);
    case kFits: return row.fits ? tr("yes") : tr("no");
    default: return {};
  }
}

QVariant MemoryPlanModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* kHeaders[] = {"stage", "model", "weights", "gradients", "optimizer",
                                   "activations", "kv cache", "total", "fits"};
  return section >= 0 && section < kColumnCount ? tr(kHeaders[section]) : QVariant();
}

}  // namespace astro::gui
