#include "gui/workspace/run_overview_view.h"

#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "core/base/workspace_paths.h"
#include "gui/common/value_table_model.h"

namespace astro::gui {
namespace {

QString text(const std::string& value) { return QString::fromStdString(value); }

QVariant timestampText(const std::optional<store::Timestamp>& time) {
  return time ? text(store::formatTimestamp(*time)) : QVariant(QString());
}

}  // namespace

RunOverviewView::RunOverviewView(QWidget* parent) : QWidget(parent) {
  setObjectName("runOverview");
  auto* layout = new QVBoxLayout(this);
  title_ = new QLabel(tr("Select a run in the workspace panel."), this);
  title_->setObjectName("runTitle");
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(title_);
  remote_ = new QLabel(this);
  remote_->setObjectName("runRemote");
  remote_->setTextFormat(Qt::PlainText);  // host names and link errors come from outside
  remote_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  remote_->setWordWrap(true);
  remote_->hide();
  layout->addWidget(remote_);
  auto* splitter = new QSplitter(Qt::Horizontal, this);
  layout->addWidget(splitter, 1);

  auto* configBox = new QGroupBox(tr("Config"), splitter);
  auto* configLayout = new QVBoxLayout(configBox);
  config_ = new QPlainTextEdit(configBox);
  config_->setObjectName("runConfig");
  config_->setReadOnly(true);
  config_->setFont(QFont("monospace"));
  configLayout->addWidget(config_);

  auto* tables = new QSplitter(Qt::Vertical, splitter);
  stages_ = new ValueTableModel({tr("#"), tr("Stage"), tr("Status"), tr("Started"), tr("Finished"),
                                 tr("Duration (s)"), tr("Checkpoint")},
                                this);
  metrics_ = new ValueTableModel({tr("Metric"), tr("Step"), tr("Latest"), tr("Points")}, this);
  artifacts_ = new ValueTableModel(
      {tr("Kind"), tr("Path"), tr("SHA-256"), tr("Bytes"), tr("Recorded")}, this);
  datasets_ = new ValueTableModel(
      {tr("Dataset"), tr("Format"), tr("Records"), tr("SHA-256"), tr("Path")}, this);
  addTable(tr("Stage timeline"), stages_, tables)->setObjectName("stageTable");
  addTable(tr("Key metrics (latest value)"), metrics_, tables)->setObjectName("metricTable");
  auto* artifactTable =
      addTable(tr("Artifacts (double-click a tree or trace to open it)"), artifacts_, tables);
  artifactTable->setObjectName("artifactTable");
  connect(artifactTable, &QTableView::activated, this,
          [this](const QModelIndex& index) { openArtifact(index.row()); });
  addTable(tr("Datasets in the workspace"), datasets_, tables)->setObjectName("datasetTable");
  splitter->setStretchFactor(0, 2);
  splitter->setStretchFactor(1, 3);
}

QTableView* RunOverviewView::addTable(const QString& title, ValueTableModel* model,
                                      QWidget* parent) {
  auto* box = new QGroupBox(title, parent);
  auto* boxLayout = new QVBoxLayout(box);
  auto* view = new QTableView(box);
  view->setModel(model);
  view->setSortingEnabled(false);
  view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  view->horizontalHeader()->setStretchLastSection(true);
  view->verticalHeader()->hide();
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  boxLayout->addWidget(view);
  return view;
}

QString RunOverviewView::remoteText() const { return remote_->text(); }

void RunOverviewView::clear() {
  jobs_.cancelCurrent();
  runId_ = 0;
  title_->setText(tr("Select a run in the workspace panel."));
  remote_->clear();
  remote_->hide();
  config_->clear();
  for (auto* model : {stages_, metrics_, artifacts_, datasets_}) model->setRows({});
}

void RunOverviewView::openArtifact(int row) {
  if (row < 0 || row >= artifacts_->rowCount()) return;
  const auto& values = artifacts_->rows()[static_cast<std::size_t>(row)];
  try {
    // Recorded paths are workspace-relative; confinedPath refuses one that escapes the folder.
    auto path = confinedPath(workspace_, values[1].toString().toStdString());
    Q_EMIT artifactOpened(QString::fromStdString(path.string()), values[0].toString());
  } catch (const std::exception& error) {
    title_->setText(tr("Cannot open the artifact: %1").arg(QString::fromUtf8(error.what())));
  }
}

void RunOverviewView::showRun(const std::filesystem::path& workspace, std::int64_t runId) {
  workspace_ = workspace;
  runId_ = runId;
  jobs_.start(
      [workspace, runId](const std::atomic<bool>&) { return readRunOverview(workspace, runId); },
      [this](RunOverview overview) { apply(overview); });
}

void RunOverviewView::apply(const RunOverview& overview) {
  if (!overview.error.isEmpty()) {
    title_->setText(tr("Could not read run %1: %2").arg(runId_).arg(overview.error));
    remote_->hide();
    Q_EMIT loaded();
    return;
  }
  const auto& run = overview.run;
  title_->setText(tr("<b>Run %1: %2</b> — %3, %4, host %5, created %6")
                      .arg(run.id)
                      .arg(text(run.name).toHtmlEscaped(), text(store::runStatusName(run.status)),
                           text(store::runKindName(run.kind)),
                           text(run.host.empty() ? "local" : run.host),
                           text(store::formatTimestamp(run.created))));
  remote_->setText(overview.remote ? remoteRunLines(*overview.remote).join(QLatin1Char('\n'))
                                   : QString());
  remote_->setStyleSheet(overview.remote && !overview.remote->lastError.empty()
                             ? QStringLiteral("color: #b00020")
                             : QString());
  remote_->setVisible(overview.remote.has_value());
  config_->setPlainText(text(run.config));
  std::vector<QVariantList> rows;
  for (const auto& stage : overview.stages) {
    QVariant duration;
    if (stage.started) {
      auto end = stage.finished.value_or(store::currentTimestamp());
      duration = (store::toMilliseconds(end) - store::toMilliseconds(*stage.started)) / 1e3;
    }
    rows.push_back({stage.position, text(stage.kind), text(store::stageStatusName(stage.status)),
                    timestampText(stage.started), timestampText(stage.finished), duration,
                    text(stage.checkpoint)});
  }
  stages_->setRows(std::move(rows));
  rows.clear();
  for (const auto& metric : overview.metrics) {
    rows.push_back({text(metric.name), QVariant::fromValue<qint64>(metric.step), metric.value,
                    QVariant::fromValue<qint64>(metric.points)});
  }
  metrics_->setRows(std::move(rows));
  rows.clear();
  for (const auto& artifact : overview.artifacts) {
    rows.push_back({text(artifact.kind), text(artifact.path), text(artifact.sha256),
                    QVariant::fromValue<qint64>(artifact.sizeBytes),
                    text(store::formatTimestamp(artifact.created))});
  }
  artifacts_->setRows(std::move(rows));
  rows.clear();
  for (const auto& dataset : overview.datasets) {
    rows.push_back({text(dataset.name), text(dataset.format),
                    QVariant::fromValue<qint64>(dataset.records), text(dataset.sha256),
                    text(dataset.path)});
  }
  datasets_->setRows(std::move(rows));
  Q_EMIT loaded();
}

}  // namespace astro::gui
