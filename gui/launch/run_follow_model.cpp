#include "gui/launch/run_follow_model.h"

#include "gui/workspace/workspace_data.h"

namespace astro::gui {

namespace {

QString textOf(const nlohmann::json& payload, const char* key) {
  auto found = payload.find(key);
  return found != payload.end() && found->is_string()
             ? QString::fromStdString(found->get<std::string>())
             : QString();
}

std::int64_t integerOf(const nlohmann::json& payload, const char* key) {
  auto found = payload.find(key);
  return found != payload.end() && found->is_number() ? found->get<std::int64_t>() : 0;
}

}  // namespace

RunFollowModel::RunFollowModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunFollowModel::reset(std::int64_t runId) {
  beginResetModel();
  runId_ = runId;
  lastSeq_ = 0;
  status_.clear();
  runName_.clear();
  progress_ = {};
  logLines_.clear();
  lastError_.clear();
  metrics_.clear();
  endResetModel();
  Q_EMIT stateChanged();
}

void RunFollowModel::apply(const std::vector<store::Event>& events) {
  QStringList lines;
  for (const store::Event& event : events) {
    if (event.runId != runId_ || event.seq <= lastSeq_) continue;
    lastSeq_ = event.seq;
    const nlohmann::json& payload = event.payload;
    switch (event.kind) {
      case store::EventKind::kLog:
        if (QString status = textOf(payload, "status"); !status.isEmpty()) status_ = status;
        if (QString name = textOf(payload, "name"); !name.isEmpty()) runName_ = name;
        if (payload.contains("stages") && payload["stages"].is_number()) {
          progress_.stageCount = payload["stages"].get<int>();
        }
        break;
      case store::EventKind::kStageStarted:
        progress_ = RunProgress{.stage = textOf(payload, "stage"),
                                .position = static_cast<int>(integerOf(payload, "position")),
                                .stageCount = static_cast<int>(integerOf(payload, "stages")),
                                .phase = {},
                                .done = 0,
                                .total = 0,
                                .etaSeconds = {}};
        if (status_.isEmpty()) status_ = QStringLiteral("running");
        break;
      case store::EventKind::kStageFinished:
        progress_.done = progress_.total;
        progress_.etaSeconds = 0.0;
        break;
      case store::EventKind::kProgress:
        progress_.stage = textOf(payload, "stage");
        progress_.phase = textOf(payload, "phase");
        progress_.done = integerOf(payload, "done");
        progress_.total = integerOf(payload, "total");
        progress_.etaSeconds.reset();
        if (payload.contains("eta_seconds") && payload["eta_seconds"].is_number()) {
          progress_.etaSeconds = payload["eta_seconds"].get<double>();
        }
        break;
      case store::EventKind::kMetric:
        applyMetric(event);
        break;
      case store::EventKind::kError:
        lastError_ = textOf(payload, "message");
        break;
      case store::EventKind::kArtifact:
        break;
    }
    lines << formatEvent(event);
  }
  if (lines.isEmpty()) return;
  logLines_ << lines;
  Q_EMIT logAppended(lines);
  Q_EMIT stateChanged();
}

void RunFollowModel::applyMetric(const store::Event& event) {
  QString name = textOf(event.payload, "name");
  auto value = event.payload.find("value");
  if (name.isEmpty() || value == event.payload.end() || !value->is_number()) return;
  std::int64_t step = integerOf(event.payload, "step");
  for (std::size_t row = 0; row < metrics_.size(); ++row) {
    if (metrics_[row].name != name) continue;
    metrics_[row].step = step;
    metrics_[row].value = value->get<double>();
    Q_EMIT dataChanged(index(static_cast<int>(row), kStep), index(static_cast<int>(row), kValue));
    return;
  }
  int row = static_cast<int>(metrics_.size());
  beginInsertRows({}, row, row);
  metrics_.push_back({name, step, value->get<double>()});
  endInsertRows();
}

std::optional<double> RunFollowModel::metric(const QString& name) const {
  for (const LatestMetric& metric : metrics_) {
    if (metric.name == name) return metric.value;
  }
  return std::nullopt;
}

QString RunFollowModel::progressText() const {
  if (runId_ == 0) return tr("No run followed");
  QString text = tr("run %1").arg(runId_);
  if (!runName_.isEmpty()) text += QStringLiteral(" (%1)").arg(runName_);
  if (!status_.isEmpty()) text += QStringLiteral(" — ") + status_;
  if (progress_.stage.isEmpty()) return text;
  text += progress_.stageCount > 0 ? QStringLiteral(" — [%1/%2 %3]")
                                         .arg(progress_.position)
                                         .arg(progress_.stageCount)
                                         .arg(progress_.stage)
                                   : QStringLiteral(" — [%1]").arg(progress_.stage);
  if (!progress_.phase.isEmpty()) text += QLatin1Char(' ') + progress_.phase;
  if (progress_.total > 0) {
    text += QStringLiteral(" %1/%2 (%3%)")
                .arg(progress_.done)
                .arg(progress_.total)
                .arg(100 * progress_.done / progress_.total);
  }
  if (progress_.etaSeconds && status_ == QLatin1String("running")) {
    text += tr(", ETA %1").arg(formatDuration(*progress_.etaSeconds));
  }
  return text;
}

RunProgressState RunFollowModel::progressState() const {
  return {.status = status_,
          .stage = progress_.stage,
          .position = progress_.position,
          .stageCount = progress_.stageCount,
          .done = progress_.done,
          .total = progress_.total,
          .error = lastError_};
}

int RunFollowModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(metrics_.size());
}

int RunFollowModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant RunFollowModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount() || index.column() >= kColumnCount) return {};
  const LatestMetric& metric = metrics_[static_cast<std::size_t>(index.row())];
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case kName:
        return metric.name;
      case kStep:
        return QVariant::fromValue<qint64>(metric.step);
      case kValue:
        return QString::number(metric.value, 'g', 6);
    }
  }
  if (role == Qt::ToolTipRole && index.column() == kValue)
    return QString::number(metric.value, 'g', 17);
  if (role == Qt::TextAlignmentRole && index.column() != kName) {
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  }
  return {};
}

QVariant RunFollowModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kName:
      return tr("Metric");
    case kStep:
      return tr("Step");
    case kValue:
      return tr("Value");
  }
  return {};
}

}  // namespace astro::gui
